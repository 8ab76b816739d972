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
    with pytest.raises(RuntimeError), switching_for_jobs(store_in_process=True):
        assert sys.getswitchinterval() == pytest.approx(max(before, SWITCH_SECONDS), abs=1e-5)
        raise RuntimeError("boom")
    assert sys.getswitchinterval() == before


def test_a_longer_interval_set_by_the_user_is_kept() -> None:
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.1)
    try:
        with switching_for_jobs(store_in_process=True):
            assert sys.getswitchinterval() == pytest.approx(0.1, abs=1e-5)
    finally:
        sys.setswitchinterval(before)


def test_a_store_over_the_network_keeps_the_interval() -> None:
    before = sys.getswitchinterval()
    with switching_for_jobs(store_in_process=False):
        assert sys.getswitchinterval() == before
    assert sys.getswitchinterval() == before


def _interval_while_running(root: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> float:
    seen: list[float] = []

    def run(_self: Worker) -> int:
        seen.append(sys.getswitchinterval())
        return 0

    monkeypatch.setattr(Worker, "run", run)
    before = sys.getswitchinterval()
    with App(root, database_url=url) as app:
        run_in_this_process(app, WorkerOptions(burst=True))
    assert sys.getswitchinterval() == before
    [interval] = seen
    return interval


def test_a_sqlite_worker_runs_its_jobs_with_the_longer_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_app(tmp_path / "app", {"views/pages/index.liquid": "hi"})
    before = sys.getswitchinterval()
    interval = _interval_while_running(root, f"sqlite:///{tmp_path}/q.db", monkeypatch)
    assert interval == pytest.approx(max(before, SWITCH_SECONDS), abs=1e-5)


def test_a_postgres_worker_runs_its_jobs_with_the_interval_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_url: str
) -> None:
    root = write_app(tmp_path / "app", {"views/pages/index.liquid": "hi"})
    before = sys.getswitchinterval()
    assert _interval_while_running(root, pg_url, monkeypatch) == before
