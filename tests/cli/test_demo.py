"""`liqueue demo`: README's first command, on the real example shop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.cli.test_example_shop import copy_shop


def test_demo_runs_the_shop_jobs_through_retries_to_the_stats_table(tmp_path: Path) -> None:
    app = copy_shop(tmp_path / "shop")
    result = subprocess.run(
        [sys.executable, "-m", "liqueue.cli", "demo", str(app), "--horizon", "10s"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "rendered retry-strategies:" in out
    # the flaky service fails twice, then succeeds: retries visible in the log
    assert "[attempt 1/5] - unreliable_api - FAILED" in out
    assert "[attempt 2/5] - unreliable_api - FAILED" in out
    assert "[attempt 3/5] - unreliable_api - SUCCESS" in out
    # a job dies after its last attempt, and the stats table closes the run
    assert "[attempt 1/1] - operation_with_cleanup - FAILED" in out
    # the shop's payment service ran beside the worker: real 503s, one charge of three tries
    assert "started service payments" in out
    assert "answered 503" in out
    assert "[attempt 3/3] - idempotent_charge - SUCCESS" in out
    assert "payment: order 1005 was already charged: ch_" in out
    stats = out[out.rindex("SOURCE_NAME") :]
    assert "unreliable_api" in stats and "send_followup" in stats
