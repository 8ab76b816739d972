"""`liqueue trigger` and `liqueue events list|show|republish`."""

from __future__ import annotations

import json

import pytest

from liqueue.app import App
from liqueue.jobs import JobState
from liqueue.testing import drain
from tests.cli.conftest import Run

CONSUMER = "consumers/user.signed_up/send_welcome"


def trigger(run: Run, app: App, data: str) -> dict[str, object]:
    result = run("trigger", app.root, "user.signed_up", "--data", data, "--json")
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def test_trigger_queues_every_consumer(run: Run, app: App) -> None:
    result = run("trigger", app.root, "user.signed_up", "--data", '{"email": "a@x", "user_id": 3}')
    assert result.exit_code == 0, result.output
    (event,) = app.store.list_events()
    assert event.payload == {"email": "a@x", "user_id": 3}
    assert str(event.origin) == "python"
    (job_id,) = event.job_ids
    job = app.store.get_job(job_id)
    assert (job.source_name, job.priority, job.max_attempts) == (CONSUMER, "high", 3)
    assert f"event {event.id} user.signed_up" in result.output
    assert "valid    yes" in result.output
    assert job.id in result.output and "scheduled" in result.output


def test_invalid_event_exits_1_and_starts_nothing(run: Run, app: App) -> None:
    result = run("trigger", app.root, "user.signed_up", "--data", '{"user_id": 3}')
    assert result.exit_code == 1
    assert "valid    NO" in result.output
    assert "error    email is required" in result.output
    (event,) = app.store.list_events()
    assert not event.valid and event.job_ids == []


def test_unknown_event_type(run: Run, app: App) -> None:
    result = run("trigger", app.root, "order.shipped")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "unknown event type 'order.shipped'" in result.stderr


def test_list_and_filter(run: Run, app: App) -> None:
    first = trigger(run, app, '{"email": "a@x"}')
    trigger(run, app, "{}")
    rows = run("events", app.root).output.splitlines()
    assert rows[0].split() == ["ID", "TYPE", "AT", "VALID", "JOBS", "ORIGIN"]
    assert sorted(row.split()[5] for row in rows[1:]) == ["INVALID", "valid"]
    assert run("events", "list", app.root, "--type", "order.created").output == "no events\n"
    data = json.loads(run("events", "list", app.root, "--json").output)
    assert first["id"] in [e["id"] for e in data]


def test_show_lists_consumer_jobs_with_their_state(run: Run, app: App) -> None:
    event = trigger(run, app, '{"email": "a@x"}')
    drain(app)
    result = run("events", "show", app.root, event["id"])
    assert result.exit_code == 0
    assert '"email": "a@x"' in result.output
    job_lines = [line for line in result.output.splitlines() if CONSUMER in line]
    assert len(job_lines) == 1 and " done " in job_lines[0]
    shown = json.loads(run("events", "show", app.root, event["id"], "--json").output)
    assert [j["state"] for j in shown["jobs"]] == [JobState.DONE.value]


def test_republish_makes_a_new_event_with_new_jobs(run: Run, app: App) -> None:
    event = trigger(run, app, '{"email": "a@x"}')
    result = run("events", "republish", app.root, event["id"])
    assert result.exit_code == 0
    events = app.store.list_events()
    assert len(events) == 2
    new = next(e for e in events if e.id != event["id"])
    assert new.payload == {"email": "a@x"}
    assert result.output.startswith(f"republished {event['id']} as {new.id}\n")
    assert len({*new.job_ids, *event["job_ids"]}) == 2  # type: ignore[misc]


def test_unknown_event_id(run: Run, app: App) -> None:
    result = run("events", "show", app.root, "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")


def test_show_accepts_the_uuid_consumers_see_or_a_unique_prefix(run: Run, app: App) -> None:
    event = trigger(run, app, '{"email": "a@x", "id": 5}')
    assert event["payload"] == {"email": "a@x", "id": 5}
    by_prefix = run("events", "show", app.root, str(event["id"])[:13])
    assert by_prefix.exit_code == 0, by_prefix.output
    assert by_prefix.output.startswith(f"event {event['id']} user.signed_up\n")


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ("{nope", "--data is not valid JSON"),
        ("[1, 2]", "--data must be a JSON object"),
        ('{"uuid": 1}', "event field 'uuid' is set by the platform"),
    ],
)
def test_trigger_reports_bad_data_in_one_line(run: Run, app: App, data: str, said: str) -> None:
    result = run("trigger", app.root, "user.signed_up", "--data", data)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and said in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert app.store.list_events() == []


def test_trigger_reports_a_failing_schema_in_one_line(run: Run, app: App) -> None:
    schema = app.root / "app/lib/events/user.signed_up.liquid"
    schema.write_text("{{ 1 | divided_by: 0 }}{% return 1 %}")
    result = run("trigger", app.root, "user.signed_up", "--data", "{}")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: app/lib/events/user.signed_up.liquid:1")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert app.store.list_events() == []
