"""The SQLite store's batch job parameters match the shared converter exactly."""

from __future__ import annotations

from liqueue.errors import Location
from liqueue.jobs import JobSpec
from liqueue.store import rows
from liqueue.store.sqlite.store import _job_params


def test_batch_params_equal_rows_job_params() -> None:
    shared = {"constants": {"a": "é"}, "environment": "test", "location": {"path": "/"}}
    specs = [
        JobSpec(
            source_name=f"s{n}",
            origin=Location("app/views/pages/x.liquid", n, 3),
            body="{{ n }}" if n % 2 else None,
            partial=None if n % 2 else "jobs/p",
            arguments={"n": n, "text": "ü\u2028", "list": [1, None, True]},
            priority=("high", "default", "low")[n % 3],
            max_attempts=n + 1,
            delay_minutes=n / 10,
            context=shared if n < 4 else {"other": n},
            event_id=None if n % 2 else f"e{n}",
        )
        for n in range(6)
    ]
    assert _job_params(specs, 1_800_000_000.0) == [
        rows.job_params(spec, 1_800_000_000.0) for spec in specs
    ]
