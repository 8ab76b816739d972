"""The GIL's switch interval while a worker process runs (worker/switching.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from liqueue import App
from liqueue.worker import Worker, WorkerOptions
from liqueue.worker.switching import SWITCH_SECONDS, switching_for_jobs
from liqueue.worker.worker import run_in_this_process
from tests.apps import write_app


def test_the_interval_is_longer_within_and_set_back_after_a_failure() -> None:
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError), switching_for_jobs():
        assert sys.getswitchinterval() == pytest.approx(max(before, SWITCH_SECONDS), abs=1e-5)
        raise RuntimeError("boom")
    assert sys.getswitchinterval() == before


def test_a_longer_interval_set_by_the_user_is_kept() -> None:
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.1)
    try:
        with switching_for_jobs():
            assert sys.getswitchinterval() == pytest.approx(0.1, abs=1e-5)
    finally:
        sys.setswitchinterval(before)


def test_a_worker_process_runs_its_jobs_with_the_longer_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[float] = []

    def run(_self: Worker) -> int:
        seen.append(sys.getswitchinterval())
        return 0

    monkeypatch.setattr(Worker, "run", run)
    root = write_app(tmp_path / "app", {"views/pages/index.liquid": "hi"})
    before = sys.getswitchinterval()
    with App(root, database_url=f"sqlite:///{tmp_path}/q.db") as app:
        run_in_this_process(app, WorkerOptions(burst=True))
    assert seen == [pytest.approx(max(before, SWITCH_SECONDS), abs=1e-5)]
    assert sys.getswitchinterval() == before
