"""Claiming the places of finished jobs before writing their outcomes back
(completer.py): on PostgreSQL only, bounded, and never at the cost of an outcome,
on every backend."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from liqueue import App
from liqueue.errors import StoreUnavailable
from liqueue.jobs import Job, JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.store import JobQuery, LogQuery
from liqueue.worker import Worker, WorkerOptions
from liqueue.worker.completer import MAX_UNSAVED_AHEAD, Completer
from liqueue.worker.pacing import Pacing
from tests.apps import write_app

JOBS = 40
PAGE = f"""
    {{% for i in (1..{JOBS}) %}}
      {{% background source_name: 'quick', n: i %}}{{% log n, type: 'ran' %}}{{% endbackground %}}
    {{% endfor %}}
"""


@pytest.fixture
def app(tmp_path: Path, db_url: str) -> Iterator[App]:
    root = write_app(tmp_path / "app", {"views/pages/index.liquid": PAGE})
    with App(root, database_url=db_url) as opened:
        opened.render("index")
        yield opened


class Watched:
    """The worker's claims, each with how many finished outcomes were not yet written
    back when it was made; the `fail` first-numbered claims raise StoreUnavailable."""

    def __init__(self, app: App, monkeypatch: pytest.MonkeyPatch, fail: Sequence[int]) -> None:
        self.worker = Worker(app, WorkerOptions(burst=True))
        self.unsaved_at_claims: list[int] = []
        self._fail = set(fail)
        self._claim = app.store.claim
        monkeypatch.setattr(app.store, "claim", self.claim)

    def run(self) -> None:
        """The burst to its end; a worker that lost an outcome would wait for it forever."""
        thread = threading.Thread(target=self.worker.run, daemon=True)
        thread.start()
        thread.join(timeout=20)
        if thread.is_alive():
            self.worker.request_stop(now=True)
            thread.join(timeout=15)
            pytest.fail("the burst worker did not finish: an outcome went missing")

    def claim(
        self,
        worker_id: str,
        limit: int,
        now: float,
        lease_seconds: float,
        priorities: Sequence[str],
    ) -> list[Job]:
        self.unsaved_at_claims.append(len(self.worker.completer.unsaved))
        if len(self.unsaved_at_claims) in self._fail:
            raise StoreUnavailable("the claim's connection dropped (a test)")
        return self._claim(worker_id, limit, now, lease_seconds, priorities)


def _all_done_and_logged(app: App) -> None:
    states = [job.state for job in app.store.list_jobs(JobQuery(limit=JOBS + 1))]
    assert states == [JobState.DONE] * JOBS
    assert len(app.store.read_logs(LogQuery(type="ran"))) == JOBS


def test_postgres_claims_before_writing_finished_outcomes_back_sqlite_after(
    app: App, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    watched = Watched(app, monkeypatch, fail=[])
    watched.run()
    _all_done_and_logged(app)
    claims_ahead_of_writes = [n for n in watched.unsaved_at_claims if n]
    if backend == "postgres":
        assert claims_ahead_of_writes
    else:  # one writer, on the claiming thread: outcomes are written first
        assert claims_ahead_of_writes == []


def test_outcomes_taken_before_a_failed_claim_are_written_once_it_succeeds(
    app: App, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first claim takes jobs; the second comes with outcomes in hand and
    # fails, as does the next; the worker waits, claims again, writes them all.
    watched = Watched(app, monkeypatch, fail=[2, 3])
    watched.run()
    _all_done_and_logged(app)
    if backend == "postgres":
        assert watched.unsaved_at_claims[1] > 0  # the failed claim had outcomes unsaved


def _outcome(n: int) -> AttemptOutcome:
    return AttemptOutcome(job_id=f"job-{n}", attempt=1, state=JobState.DONE, finished_at=0.0)


def test_unsaved_outcomes_stop_holding_up_claims_only_up_to_a_bound(app: App, backend: str) -> None:
    completer = Completer(app.store, app.clock, Pacing(4))
    assert completer.claim_first == (backend == "postgres")
    completer.take([_outcome(n) for n in range(10)])
    expected = 10 if completer.claim_first else 0
    assert completer.not_holding_claims() == expected
    completer.take([_outcome(n) for n in range(10, MAX_UNSAVED_AHEAD + 50)])
    expected = MAX_UNSAVED_AHEAD if completer.claim_first else 0
    assert completer.not_holding_claims() == expected
    assert len(completer.unsaved) == MAX_UNSAVED_AHEAD + 50  # all kept, all to be written
