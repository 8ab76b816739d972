"""Consumers see the request context of the render that published their event."""

from __future__ import annotations

from pathlib import Path

from liqueue import App, ManualClock
from liqueue.store import LogQuery
from liqueue.testing import drain
from tests.apps import write_app

FILES = {
    "lib/consumers/order.created/notify.liquid": (
        "{% log context.location.path | append: ' ' | append: context.location.template"
        " | append: ' ' | append: context.constants.shop, type: 'seen' %}"
    ),
    "views/pages/orders/create.liquid": "{% trigger_event 'order.created', order_id: 3 %}",
    "views/pages/checkout.liquid": (
        "{% background source_name: 'orders_checkout' %}"
        "{% trigger_event 'order.created', order_id: 4 %}{% endbackground %}"
    ),
}
CONFIG = "constants:\n  shop: acme\n"


def _app(tmp_path: Path) -> App:
    root = write_app(tmp_path / "app", FILES, CONFIG)
    return App(root, database_url=f"sqlite:///{tmp_path}/q.db", clock=ManualClock())


def _seen(app: App) -> list[str]:
    return [entry.message for entry in app.store.read_logs(LogQuery(type="seen"))]


def test_a_consumer_sees_the_location_of_the_page_that_published(tmp_path: Path) -> None:
    app = _app(tmp_path)
    app.render("orders/create")
    drain(app)
    assert _seen(app) == ["/orders/create app/views/pages/orders/create.liquid acme"]


def test_an_event_published_by_a_job_carries_the_request_that_queued_the_job(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path)
    app.render("checkout")
    drain(app)
    assert _seen(app) == ["/checkout app/views/pages/checkout.liquid acme"]


def test_the_context_is_stored_with_the_event_and_republished_with_it(tmp_path: Path) -> None:
    with _app(tmp_path) as first:
        first.render("orders/create")
        stored = first.store.list_events()[0]
    assert stored.context["location"]["path"] == "/orders/create"
    assert "constants" not in stored.context  # read from the config when consumers run
    with _app(tmp_path) as again:
        _, republished = again.republish_event(stored.id[:12])
        assert republished.context == stored.context
        drain(again)
        assert _seen(again) == ["/orders/create app/views/pages/orders/create.liquid acme"] * 2
