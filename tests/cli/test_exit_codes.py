"""A command that did not do what was asked exits non-zero; advice that works; cut lists."""

from __future__ import annotations

import time

from liqueue.app import App
from liqueue.jobs import JobState
from tests.cli.conftest import Run
from tests.cli.seed import PRIORITIES, attempt, enqueue, spec


def test_retry_of_a_done_job_exits_1(run: Run, app: App) -> None:
    (job_id,) = enqueue(app, spec("send_email"))
    attempt(app, job_id, fail=False, duration_ms=5)
    result = run("jobs", "retry", app.root, job_id)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"not retried {job_id}: it is done")
    assert app.store.get_job(job_id).state is JobState.DONE


def test_retry_of_some_retryable_jobs_still_retries_them_and_exits_1(run: Run, app: App) -> None:
    (dead,) = enqueue(app, spec("a", max_attempts=1))
    attempt(app, dead, fail=True, duration_ms=5, final=JobState.DEAD)
    (waiting,) = enqueue(app, spec("b", delay_minutes=60))
    result = run("jobs", "retry", app.root, dead, waiting)
    assert result.exit_code == 1
    assert result.stdout == f"retrying {dead} (was dead, now scheduled)\n"
    assert app.store.get_job(dead).state is JobState.SCHEDULED


def test_republish_of_an_invalid_event_exits_1(run: Run, app: App) -> None:
    run("trigger", app.root, "user.signed_up", "--data", '{"user_id": 3}')  # no email: invalid
    (event,) = app.store.list_events()
    result = run("events", "republish", app.root, event.id)
    assert result.exit_code == 1
    assert "valid    NO" in result.output
    assert len(app.store.list_events()) == 2


def test_delete_of_a_running_job_gives_advice_that_works(run: Run, app: App) -> None:
    (job_id,) = enqueue(app, spec("slow_report"))
    app.store.claim("worker-7", 1, time.time(), 30.0, PRIORITIES)
    result = run("jobs", "delete", app.root, job_id)
    assert result.exit_code == 1
    assert f"job {job_id} is running (worker worker-7" in result.stderr
    assert "cancel" not in result.stderr  # a running job cannot be cancelled either
    assert "delete it once the attempt ends" in result.stderr
    assert run("jobs", "cancel", app.root, job_id).exit_code == 1  # as the advice implies
    assert app.store.get_job(job_id).state is JobState.RUNNING


def test_cut_job_list_says_how_many_more(run: Run, app: App) -> None:
    enqueue(app, *(spec("send_email") for _ in range(7)))
    enqueue(app, spec("other"))
    result = run("jobs", "list", app.root, "-n", "3")
    assert len(result.stdout.splitlines()) == 4  # header and 3 jobs
    assert result.stderr == (
        "showing the newest 3 of 8 jobs: 5 more "
        "(see them with -n 8, or narrow with --state / --source-name)\n"
    )
    narrowed = run("jobs", "list", app.root, "-n", "3", "--source-name", "other")
    assert narrowed.stderr == ""
    assert (
        "of 7 jobs"
        in run("jobs", "list", app.root, "-n", "3", "--source-name", "send_email").stderr
    )
    assert run("jobs", "list", app.root, "-n", "8").stderr == ""


def test_cut_event_list_says_how_many_more(run: Run, app: App) -> None:
    for _ in range(4):
        run("trigger", app.root, "user.signed_up", "--data", '{"email": "a@x"}')
    result = run("events", "list", app.root, "-n", "2")
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == (
        "showing the newest 2 of 4 events: 2 more (see them with -n 4, or narrow with --type)\n"
    )
    assert run("events", "list", app.root, "-n", "4").stderr == ""
