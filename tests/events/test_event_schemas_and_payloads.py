"""Event schemas (read from app/lib/events) and the payload, which is the author's."""

from __future__ import annotations

from pathlib import Path

import pytest

from liqueue import App, ManualClock, TemplateError
from liqueue.errors import JobOptionError
from liqueue.store import JobQuery, LogQuery
from liqueue.testing import drain
from tests.apps import write_app


def _app(tmp_path: Path, files: dict[str, str]) -> App:
    root = write_app(tmp_path / "app", files)
    return App(root, database_url=f"sqlite:///{tmp_path}/q.db", clock=ManualClock())


def test_schema_is_read_from_app_lib_events_even_when_a_views_partial_has_its_name(
    tmp_path: Path,
) -> None:
    # A display partial `events/order.created` in app/views/partials must not
    # stand in for the schema at app/lib/events/order.created.liquid.
    app = _app(
        tmp_path,
        {
            "lib/consumers/order.created/mail.liquid": "{% log 'consumer ran' %}",
            "lib/events/order.created.liquid": (
                '{% assign r = \'{"valid": false, "errors": ["order_id is required"]}\''
                " | parse_json %}{% return r %}"
            ),
            "views/partials/events/order.created.liquid": "Order {{ event.order_id }} created",
            "views/pages/p.liquid": "{% trigger_event 'order.created', x: 1 %}",
        },
    )
    app.render("p")
    assert app.store.list_jobs(JobQuery()) == []
    [entry] = [e for e in app.store.read_logs(LogQuery()) if e.type == "error"]
    assert "order_id is required" in entry.message


def test_the_payload_is_the_authors_and_the_events_own_fields_do_not_clash(
    tmp_path: Path,
) -> None:
    # The platform's tutorial publishes {"id": object.id} and checks event.id:
    # a payload field wins; the event's own id is event.uuid (and context.event).
    app = _app(
        tmp_path,
        {
            "lib/consumers/order.created/mail.liquid": (
                "{% log event.id | append: ' ' | append: event.type | append: ' '"
                " | append: event.uuid | append: ' ' | append: event.valid"
                " | append: ' ' | append: event.consumers.first | append: ' '"
                " | append: context.event.type | append: ' ' | append: context.event.uuid,"
                " type: 'seen' %}"
            ),
            "lib/events/order.created.liquid": (
                '{% if event.id == blank %}{% assign r = \'{"valid": false, "errors": ["id"]}\''
                ' | parse_json %}{% else %}{% assign r = \'{"valid": true, "errors": []}\''
                " | parse_json %}{% endif %}{% return r %}"
            ),
            "views/pages/p.liquid": "{% trigger_event 'order.created', id: 42, type: 'gift' %}",
        },
    )
    app.render("p")
    drain(app)
    event = app.store.list_events()[0]
    assert event.valid and event.payload == {"id": 42, "type": "gift"}
    [seen] = app.store.read_logs(LogQuery(type="seen"))
    assert seen.message == f"42 gift {event.id} true mail order.created {event.id}"


@pytest.mark.parametrize("name", ["uuid", "valid", "errors", "consumers"])
def test_a_payload_field_the_platform_sets_is_refused_at_the_field(
    tmp_path: Path, name: str
) -> None:
    app = _app(
        tmp_path,
        {
            "lib/consumers/order.created/mail.liquid": "{% log event.uuid %}",
            "views/pages/p.liquid": f"{{% trigger_event 'order.created', {name}: 42 %}}",
        },
    )
    with pytest.raises(TemplateError) as raised:
        app.render("p")
    assert f"'{name}'" in raised.value.message
    assert raised.value.location is not None
    assert (raised.value.location.line, raised.value.location.column) == (1, 35)
    assert app.store.list_jobs(JobQuery()) == []
    with pytest.raises(TemplateError, match=f"'{name}'"):
        app.trigger_event("order.created", {name: "admin"})


def test_a_payload_over_100_kb_is_published_with_a_warning(tmp_path: Path) -> None:
    # The payload becomes each consumer's job argument `event`: the same advice holds.
    app = _app(
        tmp_path,
        {
            "lib/consumers/order.created/mail.liquid": "{% log event.data | size %}",
            "views/pages/p.liquid": "{% assign big = 'x' | append: '' %}"
            "{% for i in (1..11000) %}{% assign big = big | append: 'xxxxxxxxxx' %}{% endfor %}\n"
            "{% trigger_event 'order.created', data: big %}",
        },
    )
    app.render("p")
    [warning] = app.store.read_logs(LogQuery(type="warning"))
    assert warning.message == (
        "the payload of event order.created is 110 KB as JSON, over the advised 100 KB: "
        "pass ids, not large objects"
    )
    assert warning.location == "app/views/pages/p.liquid:2"
    drain(app)
    [ran] = app.store.read_logs(LogQuery(type="info"))
    assert ran.message == "110001"


def test_a_payload_from_python_is_held_to_the_template_bounds(tmp_path: Path) -> None:
    """App.trigger_event refuses what `{% trigger_event %}` refuses, in one line, and
    stores nothing: a payload too large as JSON, or one that is not JSON at all."""
    files = {"lib/consumers/order.created/mail.liquid": "{% log event.order_id %}"}
    root = write_app(tmp_path / "app", files, config="limits:\n  job_arguments_bytes: 1000\n")
    app = App(root, database_url=f"sqlite:///{tmp_path}/q.db", clock=ManualClock())
    with pytest.raises(JobOptionError, match=r"more than 1,000 bytes as JSON"):
        app.trigger_event("order.created", {"order_id": 1, "note": "x" * 1000})
    with pytest.raises(JobOptionError, match="cannot be stored as JSON"):
        app.trigger_event("order.created", {"order_id": 1, "when": object()})
    assert app.store.list_jobs(JobQuery()) == []
    # Stored as JSON data: a tuple comes back a list, as a consumer will see it.
    event = app.trigger_event("order.created", {"order_id": 2, "items": (1, 2)})
    assert event.payload == {"order_id": 2, "items": [1, 2]}
    drain(app)
    assert [e.message for e in app.store.read_logs(LogQuery()) if e.type == "info"] == ["2"]
