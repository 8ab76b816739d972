"""`liqueue demo`: README's first command, on the real example shop, served over HTTP."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from liqueue.store import LogQuery
from tests.cli.test_example_shop import copy_shop


def test_demo_serves_the_shop_and_runs_its_jobs_through_retries_to_the_stats_table(
    tmp_path: Path,
) -> None:
    app = copy_shop(tmp_path / "shop")
    result = subprocess.run(
        [sys.executable, "-m", "liqueue.cli", "demo", str(app), "--horizon", "10s",
         "--port", "0", "--exit-when-idle"],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "serving shop at http://127.0.0.1:" in out
    assert "GET /retry-strategies -> 200" in out
    # the checkout form is posted with its authenticity token, and redirects to the order
    assert "POST /checkout -> 302 /orders/" in out
    assert "consumers/order.created/inventory_sync - SUCCESS" in out
    assert "payment_process_charge - SUCCESS" in out
    # the flaky service fails twice, then succeeds: retries visible in the log
    assert "[attempt 1/5] - unreliable_api - FAILED" in out
    assert "[attempt 2/5] - unreliable_api - FAILED" in out
    assert "[attempt 3/5] - unreliable_api - SUCCESS" in out
    # a job dies after its last attempt, and the stats table closes the run
    assert "[attempt 1/1] - operation_with_cleanup - FAILED" in out
    # the shop's payment service ran beside the worker: real 503s, one charge of three tries
    # as started: `{python}` in liqueue.yml is the interpreter (the copy's port is free)
    python = re.escape(shlex.quote(sys.executable))
    assert re.search(rf"started service payments: {python} services/payments.py --port \d+\n", out)
    assert "answered 503" in out
    assert "[attempt 3/3] - idempotent_charge - SUCCESS" in out
    assert "payment: order 1005 was already charged: ch_" in out
    stats = out[out.rindex("SOURCE_NAME") :]
    assert "unreliable_api" in stats and "send_followup" in stats
    assert "still serving" not in out


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_demo_keeps_serving_until_ctrl_c_or_sigterm(tmp_path: Path, stop: signal.Signals) -> None:
    app = copy_shop(tmp_path / "shop")
    log = tmp_path / "demo.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "liqueue.cli",
                "demo",
                str(app),
                "--horizon",
                "1s",
                "--port",
                "0",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            deadline = time.monotonic() + 90
            while "still serving at " not in log.read_text() and time.monotonic() < deadline:
                assert process.poll() is None, log.read_text()
                time.sleep(0.1)
            found = re.search(r"still serving at (http://[0-9.]+:[0-9]+)", log.read_text())
            assert found is not None, log.read_text()
            assert httpx.get(found.group(1) + "/products").status_code == 200
        finally:
            process.send_signal(stop)
            code = process.wait(timeout=60)
    assert code == 0, log.read_text()
    # the worker was stopped as Ctrl-C stops it (SIGTERM used to end the process at once)
    assert "stopping: running jobs finish" in log.read_text()


def test_demo_keeps_the_apps_queue_unless_asked_for_fresh(tmp_path: Path) -> None:
    from liqueue.app import App
    from liqueue.scaffold import create_app

    root = tmp_path / "myapp"
    create_app(root)
    with App(root) as app:
        app.render("checkout", {"order": {"id": 7}})
    demo = [sys.executable, "-m", "liqueue.cli", "demo", str(root), "--exit-when-idle"]
    common = ["--port", "0", "--horizon", "0s"]

    kept = subprocess.run([*demo, *common], capture_output=True, text=True, timeout=120)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    with App(root) as app:
        assert any("order.created" in entry.message for entry in app.store.read_logs(LogQuery()))

    fresh = subprocess.run([*demo, *common, "--fresh"], capture_output=True, text=True, timeout=120)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    with App(root) as app:
        assert not any("order 7" in entry.message for entry in app.store.read_logs(LogQuery()))
