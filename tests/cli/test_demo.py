"""`liqueue demo`: README's first command, on the real example shop."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


def test_demo_runs_the_shop_jobs_through_retries_to_the_stats_table(tmp_path: Path) -> None:
    app = tmp_path / "shop"
    shutil.copytree(SHOP, app, ignore=shutil.ignore_patterns(".liqueue"))
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
    stats = out[out.rindex("SOURCE_NAME") :]
    assert "unreliable_api" in stats and "send_followup" in stats
