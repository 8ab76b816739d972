"""`App.republish_event`: a stored event published again, as `liqueue events republish` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from liqueue import App, ManualClock
from liqueue.errors import NotFound
from liqueue.store import JobQuery, LogQuery
from liqueue.testing import drain
from tests.apps import write_app

FILES = {
    "lib/consumers/order.created/notify.liquid": "{% log event.order_id, type: 'notify' %}",
    "lib/events/order.created.liquid": """
        {% assign errors = '[]' | parse_json %}
        {% if object.order_id == blank %}{% assign errors = '["order_id is required"]' | parse_json %}{% endif %}
        {% assign valid = true %}{% if errors.size > 0 %}{% assign valid = false %}{% endif %}
        {% assign result = '{}' | parse_json | hash_merge: valid: valid, errors: errors %}
        {% return result %}
    """,
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def app(tmp_path: Path, clock: ManualClock) -> App:
    root = write_app(tmp_path / "app", FILES)
    return App(root, database_url=f"sqlite:///{tmp_path}/q.db", clock=clock)


def test_republish_by_prefix_makes_a_new_event_with_new_consumer_jobs(
    app: App, clock: ManualClock
) -> None:
    first = app.trigger_event("order.created", {"order_id": 9})
    drain(app)
    clock.advance(60)

    original, again = app.republish_event(first.id[:20])
    assert original == app.store.get_event(first.id)
    assert (again.type, again.payload, again.valid, str(again.origin)) == (
        "order.created",
        {"order_id": 9},
        True,
        "python",
    )
    assert again.id != first.id and again.at == first.at + 60
    assert len(again.job_ids) == 1 and set(again.job_ids).isdisjoint(first.job_ids)
    drain(app)
    assert [e.message for e in app.store.read_logs(LogQuery(type="notify"))] == ["9", "9"]


def test_an_invalid_event_republished_is_validated_again(app: App) -> None:
    invalid = app.trigger_event("order.created", {})
    _, again = app.republish_event(invalid.id)
    assert (again.valid, again.errors, again.job_ids) == (False, ["order_id is required"], [])
    assert app.store.list_jobs(JobQuery()) == []


def test_an_unknown_event_republishes_nothing(app: App) -> None:
    with pytest.raises(NotFound):
        app.republish_event("ffffffff")
    assert app.store.list_events() == []
