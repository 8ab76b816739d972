"""`liqueue jobs list|show|retry|cancel|delete`."""

from __future__ import annotations

import json

import pytest

from liqueue.app import App
from liqueue.errors import Location, NotFound
from liqueue.jobs import JobState
from tests.cli.conftest import Run
from tests.cli.seed import attempt, enqueue, log, spec


def dead_job(app: App, source_name: str = "payment_gateway") -> str:
    (job_id,) = enqueue(app, spec(source_name, max_attempts=2, arguments={"order": {"id": 7}}))
    attempt(app, job_id, fail=True, duration_ms=300, error="card declined")
    attempt(app, job_id, fail=True, duration_ms=350, error="card declined", final=JobState.DEAD)
    return job_id


def test_list_shows_a_row_per_job(run: Run, app: App) -> None:
    dead = dead_job(app)
    (waiting,) = enqueue(app, spec("send_followup", delay_minutes=1440, priority="low"))
    result = run("jobs", "list", app.root)
    assert result.exit_code == 0
    header, *rows = result.output.splitlines()
    assert header.split() == ["ID", "STATE", "PRIORITY", "SOURCE_NAME", "ATTEMPT", "RUN_AT",
                              "LAST", "ERROR"]  # fmt: skip
    by_source = {row.split()[3]: row for row in rows}
    assert by_source["payment_gateway"].split()[1:5] == [
        "dead",
        "default",
        "payment_gateway",
        "2/2",
    ]
    assert "JobFailed: card declined" in by_source["payment_gateway"]
    assert by_source["send_followup"].split()[1:5] == ["scheduled", "low", "send_followup", "0/1"]
    assert "(in 23h)" in by_source["send_followup"] or "(in 1d)" in by_source["send_followup"]
    # The short ids shown are enough to name the jobs.
    for row, full in ((by_source["payment_gateway"], dead), (by_source["send_followup"], waiting)):
        assert full.startswith(row.split()[0])
        assert app.store.get_job(row.split()[0]).id == full


def test_jobs_app_is_short_for_jobs_list(run: Run, app: App) -> None:
    dead_job(app)
    assert run("jobs", app.root).output == run("jobs", "list", app.root).output
    assert run("jobs", app.root, "--state", "done").output == "no jobs\n"


def test_list_filters(run: Run, app: App) -> None:
    dead_job(app)
    enqueue(app, spec("send_email"))
    dead_rows = run("jobs", "list", app.root, "--state", "dead").output.splitlines()[1:]
    assert [r.split()[3] for r in dead_rows] == ["payment_gateway"]
    email_rows = run("jobs", "list", app.root, "--source-name", "send_email").output.splitlines()[
        1:
    ]
    assert [r.split()[1] for r in email_rows] == ["scheduled"]
    assert len(run("jobs", "list", app.root, "-n", "1").stdout.splitlines()) == 2


def test_list_json(run: Run, app: App) -> None:
    job_id = dead_job(app)
    data = json.loads(run("jobs", "list", app.root, "--json").output)
    assert [(j["id"], j["state"], j["arguments"]) for j in data] == [
        (job_id, "dead", {"order": {"id": 7}})
    ]
    assert data[0]["origin"] == {"path": "app/views/pages/index.liquid", "line": 12, "column": 1}


def test_show_every_field_body_numbered_from_origin_and_attempts(run: Run, app: App) -> None:
    job_id = dead_job(app)
    log(app, "charging order 7", type="payment", job_id=job_id, source_name="payment_gateway")
    result = run("jobs", "show", app.root, job_id[:20])
    assert result.exit_code == 0, result.output
    out = result.output
    for line in [f"id           {job_id}", "state        dead", "attempt      2/2",
                 "origin       app/views/pages/index.liquid:12:1",
                 "error        JobFailed: card declined (app/views/pages/index.liquid:13)"]:  # fmt: skip
        assert line in out.splitlines(), line
    # arguments as pretty JSON
    assert '  {\n    "order": {\n      "id": 7\n    }\n  }' in out
    # The body starts after the tag on line 12, so its lines are 13 and 14 of the file.
    assert "  13 |   {% assign greeting = 'hi' %}" in out
    assert "  14 |   {% log greeting %}" in out
    attempts = out.split("\nattempts:\n")[1].split("\n\n")[0].splitlines()
    assert len(attempts) == 2
    assert "attempt 1/2  FAILED  300ms  card declined" in attempts[0]
    assert "attempt 2/2  FAILED  350ms  card declined" in attempts[1]
    assert "- payment: charging order 7" in out.split("\nlog:\n")[1]


def test_show_partial_job(run: Run, app: App) -> None:
    (job_id,) = enqueue(app, spec("welcome", body=None, partial="emails/welcome",
                                  origin=Location("app/views/pages/index.liquid", 3, 1)))  # fmt: skip
    out = run("jobs", "show", app.root, job_id).output
    assert "partial      emails/welcome" in out
    assert " | " not in out  # no body to number
    assert "attempts:\n  none yet" in out


def test_retry_dead_jobs(run: Run, app: App) -> None:
    first, second = dead_job(app, "a"), dead_job(app, "b")
    result = run("jobs", "retry", app.root, first[:20])
    assert result.exit_code == 0
    assert result.output == f"retrying {first} (was dead, now scheduled)\n"
    assert app.store.get_job(first).state is JobState.SCHEDULED
    assert app.store.get_job(second).state is JobState.DEAD

    result = run("jobs", "retry", app.root, "--all-dead")
    assert result.output == "retrying 1 dead job\n"
    assert app.store.get_job(second).state is JobState.SCHEDULED


def test_retry_of_a_job_that_cannot_be_retried_says_so(run: Run, app: App) -> None:
    (job_id,) = enqueue(app, spec("send_email"))
    result = run("jobs", "retry", app.root, job_id)
    assert result.stderr.startswith(f"not retried {job_id}: it is scheduled")


def test_cancel(run: Run, app: App) -> None:
    (job_id,) = enqueue(app, spec("send_followup", delay_minutes=1440))
    result = run("jobs", "cancel", app.root, job_id[:20])
    assert result.exit_code == 0
    assert result.output == f"cancelled {job_id} (send_followup)\n"
    assert app.store.get_job(job_id).state is JobState.CANCELLED


def test_cancel_a_finished_job_is_an_error(run: Run, app: App) -> None:
    job_id = dead_job(app)
    result = run("jobs", "cancel", app.root, job_id)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert app.store.get_job(job_id).state is JobState.DEAD


def test_delete(run: Run, app: App) -> None:
    job_id = dead_job(app)
    result = run("jobs", "delete", app.root, job_id)
    assert result.exit_code == 0
    assert result.output == f"deleted {job_id} (payment_gateway, dead)\n"
    with pytest.raises(NotFound):
        app.store.get_job(job_id)
    assert run("jobs", "list", app.root).output == "no jobs\n"
