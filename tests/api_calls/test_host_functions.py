"""Host functions: registered on App or named in liqueue.yml, called with `py:` names."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from liqueue.app import App
from liqueue.clock import ManualClock
from liqueue.errors import TemplateError
from liqueue.jobs import JobState
from liqueue.store import JobQuery
from liqueue.testing import drain, logs
from tests.api_calls.conftest import ShopDir

PAID: list[int] = []


def mark_paid(order_id: int) -> dict[str, object]:
    if order_id < 0:
        raise ValueError(f"no order {order_id}")
    PAID.append(order_id)
    return {"order_id": order_id, "paid": True}


def test_a_job_calls_a_registered_function(app_dir: ShopDir) -> None:
    PAID.clear()
    app_dir.page(
        "p",
        "{% background source_name: 'pay', order_id: params.id %}"
        "{% function result = 'py:orders.mark_paid', order_id: order_id %}"
        "{% log result, type: 'paid' %}{% endbackground %}",
    )
    with App(app_dir.root, functions={"orders.mark_paid": mark_paid}) as app:
        app.render("p", {"id": 5})
        drain(app)
        assert [json.loads(e.message) for e in logs(app, type="paid")] == [
            {"order_id": 5, "paid": True}
        ]
    assert PAID == [5]


def test_an_exception_fails_the_attempt_with_its_message_and_place(app_dir: ShopDir) -> None:
    app_dir.page(
        "p",
        "{% background max_attempts: 2, source_name: 'pay' %}\n"
        "  {% liquid\n    function r = 'py:orders.mark_paid', order_id: -3\n  %}\n"
        "{% endbackground %}",
    )
    with App(
        app_dir.root, clock=ManualClock(time.time()), functions={"orders.mark_paid": mark_paid}
    ) as app:
        app.render("p")
        drain(app)
        (job,) = app.store.list_jobs(JobQuery())
    assert job.state is JobState.RETRY
    assert job.error_message == "'py:orders.mark_paid' raised ValueError: no order -3"
    assert job.error_location == "app/views/pages/p.liquid:3:5"


def test_unknown_function_and_unjsonable_values(app_dir: ShopDir) -> None:
    app_dir.page("p", "{% function r = 'py:nope' %}")
    app_dir.page("q", "{% function r = 'py:odd' %}{{ r }}")
    with App(app_dir.root, functions={"odd": lambda: {1, 2}}) as app:
        with pytest.raises(TemplateError, match=r"unknown host function 'py:nope' \(known: odd\)"):
            app.render("p")
        with pytest.raises(TemplateError, match="returned a value that is not JSON-able"):
            app.render("q")


def test_worker_processes_find_functions_through_liqueue_yml(
    app_dir: ShopDir, tmp_path: Path
) -> None:
    marks = tmp_path / "marks.txt"
    app_dir.write(
        "shop_functions.py",
        "from pathlib import Path\n\n"
        "def mark_paid(order_id):\n"
        f"    with Path({str(marks)!r}).open('a') as f:\n"
        "        f.write(f'{order_id}\\n')\n"
        "    return {'ok': True}\n\n"
        "FUNCTIONS = {'orders.mark_paid': mark_paid}\n",
    )
    app_dir.config("functions: shop_functions:FUNCTIONS\n")
    app_dir.page(
        "p",
        "{% background source_name: 'pay', order_id: params.id %}"
        "{% function r = 'py:orders.mark_paid', order_id: order_id %}{% endbackground %}",
    )
    with App(app_dir.root) as app:
        app.render("p", {"id": 41})
        app.render("p", {"id": 42})
    result = subprocess.run(
        [sys.executable, "-m", "liqueue.cli", "worker", str(app_dir.root), "--burst"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(marks.read_text().split()) == ["41", "42"]


def test_check_does_not_look_for_a_partial_named_py(app_dir: ShopDir) -> None:
    app_dir.page("p", "{% function r = 'py:orders.mark_paid', order_id: 1 %}")
    with App(app_dir.root, functions={"orders.mark_paid": mark_paid}) as app:
        assert [p for p in app.check() if p.severity == "error"] == []
    with App(app_dir.root) as app:  # the check looks the name up among the host functions
        [error] = [p for p in app.check() if p.severity == "error"]
        assert (
            error.message
            == "unknown host function 'py:orders.mark_paid' (known: none are registered)"
        )
