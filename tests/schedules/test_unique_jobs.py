"""Unique jobs: while an equal job waits, runs or retries (or finished within `for`),
queueing another hands back its id, writes a `unique` log line, and queues nothing,
even under 50 concurrent renders."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from liqueue.app import App
from liqueue.clock import SYSTEM_CLOCK
from liqueue.errors import Location
from liqueue.jobs import JobSpec, JobState
from liqueue.outbox import Outbox
from liqueue.store.base import JobQuery, LogQuery
from tests.apps import write_app

CONFIG = """
sources:
  send_digest:
    unique: {for: 10m, by: [user_id]}
"""

PAGE = """{% background job_id = 'send_digest', user_id: params.user, note: params.note %}{{ job_id }}"""


def _app(root: Path) -> Path:
    return write_app(
        root,
        {"views/pages/index.liquid": PAGE, "views/partials/send_digest.liquid": "sent"},
        CONFIG,
    )


def test_a_second_render_gets_the_first_job_id(tmp_path: Path, db: str) -> None:
    with App(_app(tmp_path / "app"), database_url=db) as app:
        first = app.render("index", {"user": 5, "note": "a"}).output.strip()
        second = app.render("index", {"user": 5, "note": "b"}).output.strip()
        other = app.render("index", {"user": 6}).output.strip()
        assert second == first and other != first
        jobs = app.store.list_jobs(JobQuery(source_name="send_digest"))
        assert sorted(job.id for job in jobs) == sorted([first, other])
        lines = app.store.read_logs(LogQuery(type="unique"))
        assert len(lines) == 1 and lines[0].job_id == first
        assert "job " + first + " holds its unique key" in lines[0].message
        assert app.store.unique_refusals() == {"send_digest": 1}


def test_the_key_is_held_for_a_while_after_the_job_ends(tmp_path: Path, db: str) -> None:
    root = _app(tmp_path / "app")
    (root / "liqueue.yml").write_text(CONFIG.replace("10m", "0.5s"))
    with App(root, database_url=db) as app:
        first = app.render("index", {"user": 5}).output.strip()
        app.store.cancel_job(first, SYSTEM_CLOCK.now())
        assert app.store.get_job(first).state is JobState.CANCELLED
        assert app.render("index", {"user": 5}).output.strip() == first  # within `for`
        time.sleep(0.6)
        again = app.render("index", {"user": 5}).output.strip()
        assert again != first
        assert app.store.get_job(again).state is JobState.SCHEDULED


def test_fifty_concurrent_renders_queue_one_job(tmp_path: Path, db: str) -> None:
    root = _app(tmp_path / "app")
    apps = [App(root, database_url=db) for _ in range(10)]  # own connections each
    for app in apps:
        app.runtime  # noqa: B018 -- parsed before the race starts
    start = threading.Barrier(50)
    outputs: list[str] = []
    errors: list[BaseException] = []

    def render(app: App) -> None:
        start.wait()
        try:
            outputs.append(app.render("index", {"user": 7}).output.strip())
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=render, args=(apps[n % 10],)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert not errors
        store = apps[0].store
        jobs = store.list_jobs(JobQuery(source_name="send_digest"))
        assert len(jobs) == 1
        # Every render was answered: the job, or a `unique` line for each of the 49 others.
        assert len(outputs) == 50
        assert store.unique_refusals() == {"send_digest": 49}
        assert outputs.count(jobs[0].id) >= 1
        # A render that lost the race at insert handed out its own id: it names the job too.
        assert {store.get_job(job_id).id for job_id in outputs} == {jobs[0].id}
    finally:
        for app in apps:
            app.close()


def test_jobs_show_and_stats_tell_about_policies(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from liqueue.cli import cli

    root = _app(tmp_path / "app")
    (root / "liqueue.yml").write_text(CONFIG + "  metered:\n    concurrency: 1\n    rate: 5/m\n")
    (root / "app" / "views" / "partials" / "metered.liquid").write_text("ok")
    with App(root) as app:
        held = app.render("index", {"user": 5}).output.strip()
        app.render("index", {"user": 5})
        first = JobSpecFor("metered")
        second = JobSpecFor("metered")
        app.enqueue(Outbox(jobs=[first, second]))
        claimed = app.store.claim_limited(
            "w", 10, SYSTEM_CLOCK.now, 30, ["default"], app.policies.limits
        ).jobs
        ids = {job.id for job in claimed}
        assert first.id in ids and second.id not in ids  # concurrency 1; held is unlimited
    runner = CliRunner()
    shown = runner.invoke(cli, ["jobs", "show", str(root), second.id])
    assert shown.exit_code == 0, shown.output
    assert "over the concurrency limit of metered: 1 running, limit 1" in shown.output
    unique = runner.invoke(cli, ["jobs", "show", str(root), held])
    assert (
        "unique: duplicates of this job (user_id=5) are refused while it is queued" in unique.output
    )
    stats = runner.invoke(cli, ["stats", str(root)])
    header, *lines = stats.output.splitlines()
    assert header.split()[-1] == "DUPLICATES"
    digest = next(line for line in lines if line.startswith("send_digest"))
    assert digest.split()[-1] == "1"


def JobSpecFor(source: str) -> JobSpec:
    return JobSpec(source_name=source, origin=Location("test"), partial=source)
