"""`liqueue stats`: per source_name counts, success rate, percentiles and retries."""

from __future__ import annotations

import json

from liqueue.app import App
from liqueue.jobs import JobState
from liqueue.store.stats import percentile as _percentile
from tests.cli.conftest import Run
from tests.cli.seed import attempt, enqueue, spec


def seed(app: App) -> None:
    (email,) = enqueue(app, spec("send_email", max_attempts=3))
    attempt(app, email, fail=True, duration_ms=100)
    attempt(app, email, fail=True, duration_ms=200)
    attempt(app, email, fail=False, duration_ms=900)
    (payment,) = enqueue(app, spec("payment_gateway"))
    attempt(app, payment, fail=True, duration_ms=50, final=JobState.DEAD)
    enqueue(app, spec("send_email", delay_minutes=60))
    (cancelled,) = enqueue(app, spec("send_email", delay_minutes=60))
    app.store.cancel_job(cancelled, app.clock.now())


def test_table(run: Run, app: App) -> None:
    seed(app)
    result = run("stats", app.root)
    assert result.exit_code == 0
    header, *rows = [line.split() for line in result.output.splitlines()]
    assert header == ["SOURCE_NAME", "SCHEDULED", "RUNNING", "RETRY", "DONE", "DEAD", "CANCELLED",
                      "JOB_OK", "ATTEMPT_OK", "P50", "P95", "MAX", "RETRIES"]  # fmt: skip
    table = {row[0]: row[1:] for row in rows}
    assert table["payment_gateway"] == [
        "0", "0", "0", "0", "1", "0", "0%", "0%", "50ms", "50ms", "50ms", "0"
    ]  # fmt: skip
    # send_email: 1 scheduled, 1 done, 1 cancelled; its one finished job succeeded,
    # on the third of 3 attempts (1 success in 3); 2 retries.
    assert table["send_email"] == [
        "1", "0", "0", "1", "0", "1", "100%", "33.3%", "200ms", "900ms", "900ms", "2"
    ]  # fmt: skip


def test_json(run: Run, app: App) -> None:
    seed(app)
    rows = {r["source_name"]: r for r in json.loads(run("stats", app.root, "--json").output)}
    assert rows["send_email"]["success_rate"] == 33.3
    assert rows["send_email"]["job_success_rate"] == 100.0
    assert rows["payment_gateway"]["job_success_rate"] == 0.0
    assert rows["send_email"]["p50_ms"] == 200
    assert rows["payment_gateway"]["dead"] == 1


def test_no_jobs(run: Run, app: App) -> None:
    assert run("stats", app.root).output == "no jobs yet\n"


def test_percentile_is_a_measured_value() -> None:
    assert _percentile([], 50) is None
    assert _percentile([7], 95) == 7
    assert _percentile(list(range(1, 101)), 50) == 50
    assert _percentile(list(range(1, 101)), 95) == 95
    assert _percentile([10, 20, 30, 40], 50) == 20
