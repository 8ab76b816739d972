"""Why a job waits -- paused, over a limit, holding a unique key -- is said by
`jobs show` and by the dashboard's job page of a real server, alike."""

from __future__ import annotations

import html
from pathlib import Path

import httpx
from click.testing import CliRunner

from liqueue.app import App
from liqueue.cli import cli
from liqueue.clock import SYSTEM_CLOCK
from liqueue.outbox import Outbox
from liqueue.store.pauses import PauseTarget
from tests.schedules.test_unique_jobs import CONFIG, JobSpecFor, _app
from tests.web.conftest import Serve

LIMITS = CONFIG + "  metered:\n    concurrency: 1\n"


def _shown(root: Path, job_id: str) -> str:
    result = CliRunner().invoke(cli, ["jobs", "show", str(root), job_id])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_reasons_a_job_waits_on_the_cli_and_the_dashboard(tmp_path: Path, serve: Serve) -> None:
    root = _app(tmp_path / "app")
    (root / "liqueue.yml").write_text(LIMITS)
    (root / "app" / "views" / "partials" / "metered.liquid").write_text("ok")
    with App(root) as app:
        held = app.render("index", {"user": 5}).output.strip()
        running, over = JobSpecFor("metered"), JobSpecFor("metered")
        app.enqueue(Outbox(jobs=[running, over]))
        app.store.pause(PauseTarget("source_name", "send_digest"), SYSTEM_CLOCK.now(), "ops")
        app.store.claim_limited("w", 10, SYSTEM_CLOCK.now, 30, ["default"], app.policies.limits)
    expected = {
        held: [
            "paused: source_name send_digest is paused by ops",
            "unique: duplicates of this job (user_id=5) are refused while it is queued",
        ],
        over.id: ["over the concurrency limit of metered: 1 running, limit 1"],
    }
    server = serve(root)
    for job_id, reasons in expected.items():
        page = html.unescape(httpx.get(f"{server.url}/_liqueue/jobs/{job_id}").text)
        cli_text = _shown(root, job_id)
        for reason in reasons:
            assert reason in page, page
            assert reason in cli_text
    # A running job waits for nothing: neither says it does.
    page = httpx.get(f"{server.url}/_liqueue/jobs/{running.id}").text
    assert ">waiting<" not in page
    assert "waiting" not in _shown(root, running.id)
