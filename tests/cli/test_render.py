"""`liqueue render`: a page or a partial on its own; its jobs and events queued unless --dry-run."""

from __future__ import annotations

import json
from pathlib import Path

from liqueue.app import App
from liqueue.jobs import JobState
from liqueue.store import JobQuery, LogQuery
from tests.cli.conftest import Run


def test_render_page_prints_output_and_queues_its_jobs(run: Run, app: App) -> None:
    result = run("render", app.root, "index", "--param", "email=bob@example.com")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<h1>Welcome, bob@example.com</h1>\n")
    jobs = app.store.list_jobs(JobQuery())
    assert sorted(j.source_name for j in jobs) == [
        "consumers/user.signed_up/send_welcome", "email_send_reminder", "user_track_signup",
    ]  # fmt: skip
    assert all(j.state is JobState.SCHEDULED for j in jobs)
    # The queue report goes to stderr, so stdout is only the page.
    for job in jobs:
        assert job.id in result.stderr
    assert "queued job" not in result.stdout
    assert "published event" in result.stderr and "(valid)" in result.stderr
    assert "  consumer job " in result.stderr
    # Printed from what the render queued, its fan-out's log line among it.
    [published] = app.store.read_logs(LogQuery(type="event"))
    assert "published: consumers/user.signed_up/send_welcome" in published.message
    assert result.stderr.splitlines()[0].endswith(published.message)


def test_param_values_are_json_when_they_parse(run: Run, app: App) -> None:
    run("render", app.root, "index", "-p", "user_id=5", "-p", "email=ann@example.com")
    (job,) = app.store.list_jobs(JobQuery(source_name="user_track_signup"))
    assert job.arguments["user_id"] == 5  # the number, not "5"


def test_params_json_and_param_override(run: Run, app: App) -> None:
    result = run("render", app.root, "index", "--params-json", '{"email": "a@x", "user_id": 9}',
                 "--param", "email=b@x")  # fmt: skip
    assert "Welcome, b@x" in result.stdout
    (job,) = app.store.list_jobs(JobQuery(source_name="user_track_signup"))
    assert job.arguments["user_id"] == 9


def test_dry_run_queues_nothing(run: Run, app: App) -> None:
    result = run("render", app.root, "index", "--dry-run")
    assert result.exit_code == 0
    assert "Welcome, ann@example.com" in result.stdout
    assert result.stderr.count("would queue job") == 2
    assert "would publish event" in result.stderr
    assert app.store.list_jobs(JobQuery()) == []
    assert app.store.list_events() == []


def test_json(run: Run, app: App) -> None:
    data = json.loads(run("render", app.root, "index", "--json").stdout)
    assert data["output"].startswith("<h1>Welcome")
    assert data["queued"] is True
    assert {j["source_name"] for j in data["jobs"]} == {"user_track_signup", "email_send_reminder"}
    assert all(set(j) >= {"id", "priority", "delay_minutes", "run_at"} for j in data["jobs"])
    (event,) = data["events"]
    assert event["type"] == "user.signed_up" and event["valid"] is True
    assert [c["source_name"] for c in event["consumer_jobs"]] == [
        "consumers/user.signed_up/send_welcome"
    ]
    assert event["consumer_jobs"][0]["priority"] == "high"  # from the consumer's front matter


def test_json_run_at_is_the_stored_one(run: Run, app: App) -> None:
    data = json.loads(run("render", app.root, "index", "--json").stdout)
    printed = [(j["id"], j["run_at"]) for j in data["jobs"]]
    printed += [(c["id"], c["run_at"]) for c in data["events"][0]["consumer_jobs"]]
    assert printed == [(job_id, app.store.get_job(job_id).run_at) for job_id, _ in printed]


def test_partial_on_its_own_shows_its_logs(run: Run, app: App) -> None:
    result = run("render", app.root, "emails/welcome", "-p", "email=ann@example.com")
    assert result.exit_code == 0, result.output
    assert result.stdout == 'Sent "Welcome aboard, ann@example.com" to ann@example.com\n'
    assert result.stderr.splitlines()[0].endswith("] - email: Welcome aboard, ann@example.com")
    assert "queued nothing" in result.stderr


def test_template_error_is_one_line_with_location(run: Run, app: App) -> None:
    page = app.root / "app/views/pages/broken.liquid"
    page.write_text("ok\n{% background priority: 'urgent' %}x{% endbackground %}\n")
    result = run("render", app.root, "broken")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: app/views/pages/broken.liquid:2:")
    assert "urgent" in result.stderr
    assert "Traceback" not in result.output
    assert app.store.list_jobs(JobQuery()) == []


def test_raise_in_a_page_queues_nothing(run: Run, app: App) -> None:
    page = app.root / "app/views/pages/fails.liquid"
    page.write_text("{% background source_name: 'x' %}{% endbackground %}\n{% raise 'nope' %}\n")
    result = run("render", app.root, "fails")
    assert result.exit_code == 1
    assert "nope" in result.stderr
    assert app.store.list_jobs(JobQuery()) == []


def test_unknown_template(run: Run, app_dir: Path) -> None:
    result = run("render", app_dir, "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: template 'nope' not found")
