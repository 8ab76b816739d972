"""Job rows read in one pass when clean, value by value otherwise, to the same job."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from liqueue.jobs import Job
from liqueue.store import columns
from liqueue.store.rows import (
    UnreadableJob,
    checked_job_from_row,
    job_from_row,
    jobs_from_rows,
    stored_json_value,
)
from liqueue.store.sqlite import SQLiteStore
from tests.store.factories import T0, enqueue, spec


def _claimed_row(tmp_path: Path) -> tuple[Any, ...]:
    """A claimed job's row as SQLite hands it back: every column filled in but finished_at."""
    with SQLiteStore(tmp_path / "q.db") as store:
        (job_id,) = enqueue(store, spec(arguments={"n": 1, "deep": [{"a": None}]}))
        store.claim("w1", 1, T0, 60.0, ["default"])
    with sqlite3.connect(tmp_path / "q.db") as db:
        found = db.execute(f"SELECT {', '.join(columns.JOB)} FROM jobs WHERE id = ?", (job_id,))
        return tuple(found.fetchone())


def _with(row: tuple[Any, ...], **values: Any) -> tuple[Any, ...]:
    edited = list(row)
    for name, value in values.items():
        edited[columns.JOB.index(name)] = value
    return tuple(edited)


def test_a_clean_row_reads_as_the_checked_reading_does(tmp_path: Path) -> None:
    row = _claimed_row(tmp_path)
    job = job_from_row(row)
    assert type(job) is Job
    assert job == checked_job_from_row(row)
    assert job.arguments == {"n": 1, "deep": [{"a": None}]}
    assert (job.attempt, job.worker_id, job.lease_until) == (1, "w1", T0 + 60)


@pytest.mark.parametrize(
    "values",
    [
        {"run_at": 5, "started_at": 7, "lease_until": 9},  # whole seconds: read as floats
        {"origin_line": None, "origin_column": None},
        {"origin_line": 0, "origin_column": 0},
        {"arguments": {"n": 2}, "context": {}},  # jsonb, as psycopg decodes it
        {"arguments": ' {"n": 2}\n', "context": "{}  "},  # whitespace of a hand edit
        {"finished_at": T0 + 1.5, "error_class": "E", "error_message": "m"},
        {"state": "retry", "priority": 2, "attempt": 0, "max_attempts": 0},
    ],
)
def test_unusual_clean_values_read_as_the_checked_reading_does(
    tmp_path: Path, values: dict[str, Any]
) -> None:
    row = _with(_claimed_row(tmp_path), **values)
    job = job_from_row(row)
    assert type(job) is Job
    assert job == checked_job_from_row(row)
    assert all(type(getattr(job, name)) is float for name in ("run_at", "created_at"))


@pytest.mark.parametrize(
    "values",
    [
        {"state": "RUNNING"},
        {"state": 1},
        {"priority": 7},
        {"priority": True},
        {"priority": "1"},
        {"arguments": "{not json"},
        {"arguments": '{"n": 1} and more'},
        {"context": "{}{}"},
        {"context": ""},
        {"arguments": "[1]"},
        {"context": "null"},
        {"context": "[" * 100_000},
        {"arguments": 3},
        {"origin_path": None},
        {"origin_line": -1},
        {"origin_column": 10**10},
        {"origin_line": True},
        {"attempt": -1},
        {"max_attempts": 1.0},
        {"attempt": None},
        {"run_at": float("nan")},
        {"created_at": float("inf")},
        {"started_at": 1e20},
        {"lease_until": "soon"},
        {"finished_at": False},
        {"run_at": None},
    ],
)
def test_a_bad_value_is_read_value_by_value_and_said(
    tmp_path: Path, values: dict[str, Any]
) -> None:
    row = _with(_claimed_row(tmp_path), **values)
    job = job_from_row(row)
    assert isinstance(job, UnreadableJob)
    assert job == checked_job_from_row(row)
    assert job.problem.startswith("unreadable job row: ")


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        '[1, "x", null]',
        '"text"',
        "7",
        "NaN",
        " {}",
        "{} ",
        "{}\n",
        "{}{}",
        "",
        " ",
        "{",
    ],
)
def test_stored_json_reads_as_json_loads_does(text: str) -> None:
    try:
        expected: Any = json.loads(text)
    except ValueError as err:
        with pytest.raises(type(err)):
            stored_json_value(text)
        return
    value = stored_json_value(text)
    assert value == expected or (value != value and expected != expected)  # NaN


def test_a_batch_decodes_each_context_text_once_and_reads_bad_rows_apart(
    tmp_path: Path,
) -> None:
    row = _claimed_row(tmp_path)
    other = '{"environment": "staging"}'
    found = [
        _with(row, id="a", context='{"environment": "test"}'),
        _with(row, id="b", context='{"environment": "test"}'),
        _with(row, id="c", context=other),
        _with(row, id="d", context="{broken"),
        _with(row, id="e", context='{"environment": "test"}'),
    ]
    jobs = jobs_from_rows(found)
    assert jobs == [job_from_row(one) for one in found]
    first, second, third, broken, fifth = jobs
    assert first.context is second.context is fifth.context
    assert first.context == {"environment": "test"}
    assert third.context == {"environment": "staging"}
    assert isinstance(broken, UnreadableJob)
    assert [type(job) for job in (first, second, third, fifth)] == [Job] * 4
