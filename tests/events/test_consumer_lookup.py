"""An event type's consumers, looked up on disk at most every RECHECK_SECONDS."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from liqueue import App, TemplateError
from liqueue.events.fanout import RECHECK_SECONDS
from tests.apps import write_app, write_file


@pytest.fixture
def app(tmp_path: Path) -> App:
    root = write_app(tmp_path / "app", {"lib/consumers/order.placed/a.liquid": "{% log 'a' %}"})
    return App(root, database_url=f"sqlite:///{tmp_path}/q.db")


def test_a_consumer_added_to_a_known_type_counts_within_the_recheck_delay(app: App) -> None:
    assert len(app.trigger_event("order.placed", {}).job_ids) == 1
    write_file(app.root, "app/lib/consumers/order.placed/b.liquid", "{% log 'b' %}")
    deadline = time.monotonic() + RECHECK_SECONDS + 1.0  # a margin for a loaded machine
    while len(app.trigger_event("order.placed", {}).job_ids) != 2:
        assert time.monotonic() < deadline, "the new consumer was not picked up in time"
        time.sleep(0.02)
    (app.root / "app/lib/consumers/order.placed/a.liquid").unlink()
    deadline = time.monotonic() + RECHECK_SECONDS + 1.0
    while len(app.trigger_event("order.placed", {}).job_ids) != 1:
        assert time.monotonic() < deadline, "the removed consumer still ran"
        time.sleep(0.02)


def test_the_first_consumer_of_a_new_type_counts_at_once(app: App) -> None:
    with pytest.raises(TemplateError, match="unknown event type 'order\\.paid'"):
        app.trigger_event("order.paid", {})
    write_file(app.root, "app/lib/consumers/order.paid/a.liquid", "{% log 'paid' %}")
    assert len(app.trigger_event("order.paid", {}).job_ids) == 1


def test_check_names_a_partial_that_would_run_instead_of_a_consumer(app: App) -> None:
    write_file(app.root, "app/views/partials/consumers/order.placed/a.liquid", "{% log 'p' %}")
    [problem] = [p for p in app.check() if "found before the consumer" in p.message]
    assert problem.location.path == "app/views/partials/consumers/order.placed/a.liquid"
    assert problem.severity == "error"
    assert "app/lib/consumers/order.placed/a.liquid" in problem.message
    assert "'consumers/order.placed/a'" in problem.message


def test_check_is_quiet_about_a_consumer_nothing_shadows(app: App) -> None:
    write_file(app.root, "app/views/partials/consumers/order.placed/b.liquid", "{% log 'b' %}")
    assert not [p for p in app.check() if "found before the consumer" in p.message]
