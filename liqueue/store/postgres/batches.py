"""New jobs and events, outcomes and log lines as one jsonb parameter
(insert_jobs.sql, insert_events.sql, complete_jobs.sql, insert_logs.sql).

psycopg dumps a list parameter in Python, element by element, after scanning
it for its element type: the completion's 20 arrays (its log lines' and its
outcomes') cost a worker's main thread more than the rest of the completion.
json.dumps is C; the server reads each row back by position (schema.py).
Floats survive exactly (repr's digits, parsed again by float8in); text that
PostgreSQL cannot hold (NUL) is refused as an array would be.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from liqueue.events.event import Event
from liqueue.jobs import JobSpec
from liqueue.logs import LogEntry
from liqueue.store import rows

_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode


def json_rows(params: Iterable[Sequence[Any]]) -> str:
    """Rows of parameters as a JSON array of arrays (objects would repeat every key)."""
    return _dumps(list(params))


def jobs_json(specs: Sequence[JobSpec], now: float) -> str:
    """insert_jobs' `jobs` parameter: rows of `columns.JOB_INSERT`. Arguments and
    context, JSON text already, go as strings, which the server parses once."""
    return json_rows(rows.job_params(specs, now))


def events_json(events: Iterable[Event]) -> str:
    """insert_events' `events` parameter: rows of `columns.EVENT`."""
    return json_rows(rows.event_params(event) for event in events)


def logs_json(entries: Iterable[LogEntry]) -> str:
    """insert_logs' `logs` parameter: rows of `columns.LOG_INSERT`."""
    return json_rows(rows.log_params(entry) for entry in entries)


def outcomes_json(params: Iterable[Sequence[Any]]) -> str:
    """complete_jobs' `outcomes` parameter, from rows.outcome_params (`columns.OUTCOME`)."""
    return json_rows(params)
