"""`log` and `trigger_event`."""

from __future__ import annotations

import json

import pytest

from liqueue.errors import JobOptionError, Location, TemplateError

from .liquid_apps import AppDir


def test_log_defaults_to_info_and_records_location_and_time(app: AppDir) -> None:
    app.page("index", "a\n{% log 'hello' %}")
    [entry] = app.runtime().render("index").outbox.logs
    assert (entry.type, entry.message, entry.location) == (
        "info",
        "hello",
        "app/views/pages/index.liquid:2",
    )
    assert entry.at == app.clock.now()
    assert entry.job_id is None


def test_log_filtered_value_and_type(app: AppDir) -> None:
    app.page(
        "index",
        '{% log "Job completed in " | append: duration | append: " seconds", type: kind %}',
    )
    [entry] = app.runtime().render("index", {"duration": 3, "kind": "timing"}).outbox.logs
    assert (entry.type, entry.message) == ("timing", "Job completed in 3 seconds")


def test_log_objects_as_json(app: AppDir) -> None:
    app.page("index", "{% log order, type: 'debug' %}{% log missing %}{% log (1..2) %}")
    logs = app.runtime().render("index", {"order": {"id": 1, "tags": ["a"]}}).outbox.logs
    assert [entry.message for entry in logs] == ['{"id": 1, "tags": ["a"]}', "null", "[1, 2]"]


def test_log_rejects_unknown_arguments(app: AppDir) -> None:
    app.page("index", "{% log 'x', level: 'warn' %}")
    with pytest.raises(TemplateError) as caught:
        app.runtime().render("index")
    assert "log has no argument 'level'" in caught.value.message
    assert caught.value.location == Location("app/views/pages/index.liquid", 1, 13)


def test_log_inside_liquid_tag(app: AppDir) -> None:
    app.page("index", "{% liquid\n  log 'a' | append: 'b', type: 'x'\n%}")
    [entry] = app.runtime().render("index").outbox.logs
    assert (entry.type, entry.message, entry.location) == (
        "x",
        "ab",
        "app/views/pages/index.liquid:2",
    )


def test_trigger_event_records_an_event(app: AppDir) -> None:
    app.page(
        "orders/create",
        "\n{% trigger_event 'order.created', order_id: order.id, total: order.total | times: 2 %}",
    )
    order = {"id": 42, "total": 5}
    [event] = app.runtime().render("orders/create", {"order": order}).outbox.events
    assert event.type == "order.created"
    assert event.payload == {"order_id": 42, "total": 10}
    assert event.origin == Location("app/views/pages/orders/create.liquid", 2)
    assert event.at == app.clock.now()
    assert len(event.id) == 36


def test_trigger_event_type_may_be_a_variable(app: AppDir) -> None:
    app.page("index", "{% liquid\n trigger_event kind, a: 1\n%}")
    [event] = app.runtime().render("index", {"kind": "user.signed_up"}).outbox.events
    assert (event.type, event.payload) == ("user.signed_up", {"a": 1})


def test_trigger_event_needs_a_type(app: AppDir) -> None:
    app.page("index", "{% trigger_event kind %}")
    with pytest.raises(TemplateError, match="needs an event type") as caught:
        app.runtime().render("index")
    assert caught.value.location == Location("app/views/pages/index.liquid", 1, 18)


def test_trigger_event_payload_must_be_json(app: AppDir) -> None:
    app.page("index", "{% trigger_event 'a.b', bad: thing %}")
    with pytest.raises(JobOptionError, match="event field 'bad' cannot be stored as JSON"):
        app.runtime().render("index", {"thing": object()})


@pytest.mark.parametrize(
    "value", [0, -7, 10**30, True, False, None, 1.5, [1, True], {"n": 2}], ids=repr
)
def test_a_logged_value_is_written_as_json_writes_it(app: AppDir, value: object) -> None:
    app.page("index", "{% log value %}")
    [entry] = app.runtime().render("index", {"value": value}).outbox.logs
    assert entry.message == json.dumps(value, ensure_ascii=False)


def test_a_log_tag_keeps_its_place_in_the_liquid_tag(app: AppDir) -> None:
    app.page("index", "x\n{% liquid\n  assign a = 1\n  log a, type: 'n'\n%}\n{% log a %}")
    first, second = app.runtime().render("index").outbox.logs
    assert (first.location, second.location) == (
        "app/views/pages/index.liquid:4",
        "app/views/pages/index.liquid:6",
    )
