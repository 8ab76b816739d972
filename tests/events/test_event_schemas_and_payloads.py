"""Event schemas (read from app/lib/events) and the names a payload may use."""

from __future__ import annotations

from pathlib import Path

import pytest

from liqueue import App, ManualClock, TemplateError
from liqueue.store import JobQuery, LogQuery
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


def test_a_payload_field_named_like_the_events_own_fields_is_refused(tmp_path: Path) -> None:
    # Consumers see `event` = payload + type + date + id; a payload `id` was
    # silently replaced by the event's id, so `event.id` was not the order's.
    app = _app(
        tmp_path,
        {
            "lib/consumers/order.created/mail.liquid": "{% log event.id %}",
            "views/pages/p.liquid": "{% trigger_event 'order.created', id: 42 %}",
        },
    )
    with pytest.raises(TemplateError) as raised:
        app.render("p")
    assert "'id'" in raised.value.message
    assert raised.value.location is not None
    assert (raised.value.location.line, raised.value.location.column) == (1, 35)
    assert app.store.list_jobs(JobQuery()) == []
    with pytest.raises(ValueError, match="'type'"):
        app.trigger_event("order.created", {"type": "admin"})
