"""The garbage collector while a worker process runs (worker/collector.py)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from liqueue import App
from liqueue.worker import Worker, WorkerOptions
from liqueue.worker.collector import GEN0_THRESHOLD, collector_for_jobs
from liqueue.worker.worker import run_in_this_process
from tests.apps import write_app


def test_the_collector_waits_longer_and_skips_startup_objects_then_is_set_back() -> None:
    before = gc.get_threshold()
    with collector_for_jobs():
        assert gc.get_threshold() == (max(before[0], GEN0_THRESHOLD), *before[1:])
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_the_collector_is_set_back_when_the_worker_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), collector_for_jobs():
        raise RuntimeError("boom")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_worker_process_runs_its_jobs_with_the_collector_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int]] = []

    def run(_self: Worker) -> int:
        seen.append((gc.get_threshold()[0], gc.get_freeze_count()))
        return 0

    monkeypatch.setattr(Worker, "run", run)
    root = write_app(tmp_path / "app", {"views/pages/index.liquid": "hi"})
    with App(root, database_url=f"sqlite:///{tmp_path}/q.db") as app:
        run_in_this_process(app, WorkerOptions(burst=True))
    [(threshold, frozen)] = seen
    assert threshold >= GEN0_THRESHOLD
    assert frozen > 0
