"""Events: fan-out to consumers, validation, isolation of failures, re-publishing."""

from __future__ import annotations

from pathlib import Path

import pytest

from liqueue import App, ManualClock, TemplateError
from liqueue.jobs import JobState
from liqueue.store import JobQuery, LogQuery
from liqueue.testing import drain
from tests.apps import write_app

CONFIG = "retry_backoff: [1s]\nretry_jitter: 0\n"

CONSUMERS = {
    "lib/consumers/order.created/a_inventory.liquid": """
        ---
        priority: high
        ---
        {% log event.order_id, type: 'inventory' %}
    """,
    "lib/consumers/order.created/b_email.liquid": """
        ---
        max_attempts: 2
        ---
        {% if event.order_id == 13 %}{% raise 'smtp down' %}{% endif %}
        {% log 'mail ' | append: event.type | append: ' ' | append: event.uuid, type: 'email' %}
    """,
    "lib/consumers/order.created/c_analytics.liquid": """
        ---
        priority: low
        delay: 1
        ---
        {% log event.date, type: 'analytics' %}
    """,
    "lib/events/order.created.liquid": """
        {% assign errors = '[]' | parse_json %}
        {% if object.order_id == blank %}{% assign errors = '["order_id is required"]' | parse_json %}{% endif %}
        {% assign valid = true %}{% if errors.size > 0 %}{% assign valid = false %}{% endif %}
        {% assign result = '{}' | parse_json | hash_merge: valid: valid, errors: errors %}
        {% return result %}
    """,
    "views/pages/order.liquid": "{% trigger_event 'order.created', order_id: params.order_id %}ok",
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def app(tmp_path: Path, clock: ManualClock) -> App:
    root = write_app(tmp_path / "app", CONSUMERS, CONFIG)
    return App(root, database_url=f"sqlite:///{tmp_path}/q.db", clock=clock)


def consumer_jobs(app: App) -> list[tuple[str, str, int, JobState]]:
    jobs = sorted(app.store.list_jobs(JobQuery()), key=lambda job: job.id)
    return [(j.source_name, j.priority, j.max_attempts, j.state) for j in jobs]


def test_every_consumer_runs_as_its_own_job_in_path_order(app: App) -> None:
    result = app.render("order", {"order_id": 7})
    assert result.output == "ok"
    assert consumer_jobs(app) == [
        ("consumers/order.created/a_inventory", "high", 5, JobState.SCHEDULED),
        ("consumers/order.created/b_email", "default", 2, JobState.SCHEDULED),
        ("consumers/order.created/c_analytics", "low", 5, JobState.SCHEDULED),
    ]
    event = app.store.list_events()[0]
    assert event.type == "order.created" and event.payload == {"order_id": 7}
    assert event.valid and len(event.job_ids) == 3
    published = app.store.read_logs(LogQuery(type="event"))[0]
    assert "order.created" in published.message and "b_email" in published.message


def test_consumers_see_the_event_and_run_independently(app: App, clock: ManualClock) -> None:
    app.render("order", {"order_id": 13})
    drain(app)
    clock.advance(1.5)
    drain(app)  # b_email's second and last attempt
    clock.advance(60)
    drain(app)  # c_analytics, delayed one minute by its front matter
    states = {name: state for name, _, _, state in consumer_jobs(app)}
    assert states == {
        "consumers/order.created/a_inventory": JobState.DONE,
        "consumers/order.created/b_email": JobState.DEAD,
        "consumers/order.created/c_analytics": JobState.DONE,
    }
    event = app.store.list_events()[0]
    inventory = app.store.read_logs(LogQuery(type="inventory"))
    assert [entry.message for entry in inventory] == ["13"]
    analytics = app.store.read_logs(LogQuery(type="analytics"))
    assert analytics[0].message.startswith(event.id[:0] or "20")  # the event's date
    failed = app.store.read_logs(LogQuery(source_name="consumers/order.created/b_email"))
    assert [e.message.split(" - ")[2] for e in failed if e.type == "attempt"] == ["FAILED"] * 2


def test_consumer_sees_type_and_uuid(app: App) -> None:
    app.render("order", {"order_id": 8})
    drain(app)
    event = app.store.list_events()[0]
    email = app.store.read_logs(LogQuery(type="email"))
    assert [entry.message for entry in email] == [f"mail order.created {event.id}"]


def test_an_invalid_event_is_stored_logged_and_starts_nothing(app: App) -> None:
    app.render("order", {})
    assert app.store.list_jobs(JobQuery()) == []
    event = app.store.list_events()[0]
    assert not event.valid
    assert event.errors == ["order_id is required"]
    errors = app.store.read_logs(LogQuery(type="error"))
    assert "order_id is required" in errors[0].message


def test_the_render_returns_what_it_queued(app: App) -> None:
    queued = app.render("order", {"order_id": 7}).outbox
    [event] = queued.events
    assert event.valid and len(event.job_ids) == 3
    assert [spec.id for spec in queued.jobs] == event.job_ids
    assert sorted(event.job_ids) == sorted(job.id for job in app.store.list_jobs(JobQuery()))
    [published] = [entry for entry in queued.logs if entry.type == "event"]
    assert published.message == app.store.read_logs(LogQuery(type="event"))[0].message
    invalid = app.render("order", {}).outbox
    assert [(e.valid, e.errors, e.job_ids) for e in invalid.events] == [
        (False, ["order_id is required"], [])
    ]
    not_queued = app.render("order", {"order_id": 8}, enqueue=False).outbox
    assert [(e.valid, e.job_ids) for e in not_queued.events] == [(True, [])]  # not judged yet


def test_an_unknown_event_type_fails_the_render_and_queues_nothing(tmp_path: Path) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": """
            {% background source_name: 'queued_first' %}x{% endbackground %}
            {% trigger_event 'order.shipped', order_id: 1 %}
        """,
    })  # fmt: skip
    app = App(root, database_url=f"sqlite:///{tmp_path}/q.db")
    with pytest.raises(TemplateError) as info:
        app.render("index")
    message = str(info.value)
    assert "unknown event type 'order.shipped'" in message
    assert "app/lib/consumers/order.shipped/" in message
    assert message.startswith("app/views/pages/index.liquid:2")
    assert app.store.list_jobs(JobQuery()) == []
    assert app.store.list_events() == []


def test_republishing_runs_every_consumer_again(app: App) -> None:
    first = app.trigger_event("order.created", {"order_id": 9})
    assert first.valid and len(first.job_ids) == 3
    drain(app)
    again = app.trigger_event(first.type, first.payload)
    assert again.id != first.id and len(again.job_ids) == 3
    assert set(again.job_ids).isdisjoint(first.job_ids)
    drain(app)
    assert len(app.store.read_logs(LogQuery(type="inventory"))) == 2


def test_an_event_published_from_inside_a_job(tmp_path: Path, clock: ManualClock) -> None:
    files = dict(CONSUMERS)
    files["views/pages/checkout.liquid"] = """
        {% background source_name: 'checkout', order_id: 21 %}
          {% trigger_event 'order.created', order_id: order_id %}
        {% endbackground %}
    """
    root = write_app(tmp_path / "app", files, CONFIG)
    app = App(root, database_url=f"sqlite:///{tmp_path}/q.db", clock=clock)
    app.render("checkout")
    assert app.store.list_events() == []  # nothing published until the job runs
    drain(app)
    event = app.store.list_events()[0]
    assert event.payload == {"order_id": 21}
    assert [entry.message for entry in app.store.read_logs(LogQuery(type="inventory"))] == ["21"]


@pytest.mark.parametrize(
    ("front_matter", "message", "line"),
    [
        ("priority: urgent", "priority must be one of", 2),
        ("max_attempts: 9", "max_attempts is at most 5", 2),
        ("delay: -1", "delay must not be negative", 2),
        ("retries: 3", "unknown front matter key(s) retries", 2),
    ],
)
def test_front_matter_errors_name_the_consumer_and_line(
    tmp_path: Path, front_matter: str, message: str, line: int
) -> None:
    root = write_app(tmp_path / "app", {
        "lib/consumers/user.signed_up/welcome.liquid": f"---\n{front_matter}\n---\nhello\n",
        "views/pages/index.liquid": "{% trigger_event 'user.signed_up', user_id: 1 %}",
    })  # fmt: skip
    app = App(root, database_url=f"sqlite:///{tmp_path}/q.db")
    with pytest.raises(
        TemplateError, match=message.replace("(", r"\(").replace(")", r"\)")
    ) as info:
        app.render("index")
    assert info.value.location is not None
    assert info.value.location.path == "app/lib/consumers/user.signed_up/welcome.liquid"
    assert info.value.location.line == line
    problems = [p for p in app.check() if p.severity == "error"]
    assert [(p.location.path, p.location.line) for p in problems] == [
        ("app/lib/consumers/user.signed_up/welcome.liquid", line)
    ]
    assert message in problems[0].message


def test_check_wants_schemas_to_return(tmp_path: Path) -> None:
    root = write_app(tmp_path / "app", {"lib/events/user.signed_up.liquid": "{% assign x = 1 %}"})
    app = App(root, database_url=f"sqlite:///{tmp_path}/q.db")
    problems = app.check()
    assert [(str(p.location), p.severity) for p in problems] == [
        ("app/lib/events/user.signed_up.liquid", "error")
    ]


def test_check_reports_what_publishing_would_hit(tmp_path: Path) -> None:
    root = write_app(tmp_path / "app", {
        "lib/consumers/user.signed_up/welcome.liquid": (
            "---\npriority: urgent\nmax_attempts: 9\nretries: 3\n---\n{{ event.user_id }}\n"
        ),
        "lib/consumers/order.paid/.keep": "",
        "views/pages/index.liquid": (
            "{% trigger_event 'user.signed_up', user_id: 1 %}\n"
            "{% trigger_event 'order.shipped', order_id: 1 %}\n"
        ),
    })  # fmt: skip
    (root / "app/lib/consumers/order.paid/.keep").unlink()
    app = App(root, database_url=f"sqlite:///{tmp_path}/q.db")
    found = [(str(p.location), p.severity, p.message.split(" ")[0]) for p in app.check()]
    assert found == [
        ("app/lib/consumers/order.paid", "error", "no"),
        ("app/lib/consumers/user.signed_up/welcome.liquid:2:1", "error", "priority"),
        ("app/lib/consumers/user.signed_up/welcome.liquid:3:1", "error", "max_attempts"),
        ("app/lib/consumers/user.signed_up/welcome.liquid:4:1", "error", "unknown"),
        ("app/views/pages/index.liquid:2:18", "error", "unknown"),
    ]
