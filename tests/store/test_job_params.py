"""Batch job parameters (a shared context encoded once) match one spec at a time exactly."""

from __future__ import annotations

from liqueue.errors import Location
from liqueue.jobs import JobSpec
from liqueue.store import rows


def test_batch_params_equal_params_of_each_spec() -> None:
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
    assert rows.job_params(specs, 1_800_000_000.0) == [
        rows.job_params([spec], 1_800_000_000.0)[0] for spec in specs
    ]
