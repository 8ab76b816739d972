"""Outcomes and log lines as one jsonb parameter (complete_jobs.sql, insert_logs.sql).

psycopg dumps a list parameter in Python, element by element, after scanning
it for its element type: the completion's 20 arrays (its log lines' and its
outcomes') cost a worker's main thread more than the rest of the completion.
json.dumps is C; the server reads the rows back with jsonb_to_recordset.
Floats survive exactly (repr's digits, parsed again by float8in); text that
PostgreSQL cannot hold (NUL) is refused as an array would be.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from liqueue.logs import LogEntry
from liqueue.store import columns, rows

_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def json_rows(names: Sequence[str], params: Iterable[Sequence[Any]]) -> str:
    """Rows of parameters (in `names` order) as a JSON array of objects."""
    return _dumps([dict(zip(names, row, strict=True)) for row in params])


def logs_json(entries: Iterable[LogEntry]) -> str:
    """insert_logs' `logs` parameter."""
    return json_rows(columns.LOG_INSERT, (rows.log_params(entry) for entry in entries))


def outcomes_json(params: Iterable[Sequence[Any]]) -> str:
    """complete_jobs' `outcomes` parameter, from rows.outcome_params."""
    return json_rows(columns.OUTCOME, params)
