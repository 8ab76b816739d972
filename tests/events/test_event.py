"""The `Event` vocabulary: its one constructor and its origin as stored."""

from __future__ import annotations

import pytest

from liqueue.errors import Location, TemplateError
from liqueue.events.event import PYTHON_ORIGIN, new_event, origin_text, parse_origin


def test_new_event_keeps_the_payload_and_refuses_only_what_the_platform_sets() -> None:
    with pytest.raises(TemplateError, match="event field 'uuid' is set by the platform"):
        new_event("order.created", {"uuid": "mine"}, at=1.0, origin=PYTHON_ORIGIN)
    own = new_event("order.created", {"id": 7, "date": "today"}, at=1.0, origin=PYTHON_ORIGIN)
    assert own.payload == {"id": 7, "date": "today"}
    event = new_event("order.created", {"order_id": 7}, at=1.0, origin=PYTHON_ORIGIN)
    assert (event.type, event.payload, event.at, event.valid) == (
        "order.created",
        {"order_id": 7},
        1.0,
        True,
    )
    assert event.id != new_event("order.created", {}, at=1.0, origin=PYTHON_ORIGIN).id


@pytest.mark.parametrize(
    ("origin", "text"),
    [
        (
            Location("app/views/pages/orders/create.liquid", 2),
            "app/views/pages/orders/create.liquid:2",
        ),
        (PYTHON_ORIGIN, "python"),
        (Location("C:/odd:name.liquid", 12), "C:/odd:name.liquid:12"),
        (None, None),
    ],
)
def test_origin_is_stored_as_path_colon_line_and_read_back(
    origin: Location | None, text: str | None
) -> None:
    assert origin_text(origin) == text
    assert parse_origin(text) == origin


def test_only_a_template_origin_is_a_source_location() -> None:
    from_python = new_event("t", {}, at=0.0, origin=PYTHON_ORIGIN)
    from_tag = new_event("t", {}, at=0.0, origin=Location("app/views/pages/p.liquid", 3))
    assert from_python.source_location is None
    assert from_tag.source_location == Location("app/views/pages/p.liquid", 3)
