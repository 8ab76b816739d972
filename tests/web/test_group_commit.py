"""Concurrent requests' outboxes written together, each still all or nothing."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from liqueue.app import App
from liqueue.errors import Location
from liqueue.jobs.spec import JobSpec
from liqueue.outbox import Outbox
from liqueue.store import JobQuery
from liqueue.web.group_commit import GroupCommit
from tests.web.conftest import write_app

THREADS = 16


def _job(source: str, argument: object = 1) -> JobSpec:
    return JobSpec(source_name=source, origin=Location("test"), body="x", arguments={"a": argument})


@pytest.fixture
def app(tmp_path: Path) -> App:
    opened = App(write_app(tmp_path / "app", {"liqueue.yml": "environment: test\n"}))
    opened.store.migrate()
    return opened


def test_concurrent_outboxes_are_all_queued(app: App) -> None:
    queue = GroupCommit(app.enqueue)
    start = threading.Barrier(THREADS)

    def request(n: int) -> None:
        start.wait()
        queue.enqueue(Outbox(jobs=[_job(f"s{n}"), _job(f"s{n}")]))

    threads = [threading.Thread(target=request, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app:
        for n in range(THREADS):
            assert len(app.store.list_jobs(JobQuery(source_name=f"s{n}"))) == 2


def test_a_failing_outbox_fails_alone_and_queues_nothing(app: App) -> None:
    queue = GroupCommit(app.enqueue)
    start = threading.Barrier(THREADS)
    failures: dict[int, BaseException] = {}

    def request(n: int) -> None:
        # Request 3's second job cannot be stored (its argument is no JSON value).
        jobs = [_job("bad"), _job("bad", object())] if n == 3 else [_job(f"s{n}")]
        start.wait()
        try:
            queue.enqueue(Outbox(jobs=jobs))
        except Exception as err:
            failures[n] = err

    threads = [threading.Thread(target=request, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert list(failures) == [3]
    with app:
        assert not app.store.list_jobs(JobQuery(source_name="bad"))
        for n in set(range(THREADS)) - {3}:
            assert len(app.store.list_jobs(JobQuery(source_name=f"s{n}"))) == 1


def test_coroutines_await_their_own_outcome_and_the_loop_goes_on(app: App) -> None:
    queue = GroupCommit(app.enqueue)

    async def requests() -> list[BaseException | None]:
        async def request(n: int) -> None:
            jobs = [_job("bad_async"), _job("bad_async", object())] if n == 5 else [_job(f"a{n}")]
            await queue.write(Outbox(jobs=jobs))

        return await asyncio.gather(*(request(n) for n in range(THREADS)), return_exceptions=True)

    outcomes = asyncio.run(requests())
    queue.close()
    assert [n for n, outcome in enumerate(outcomes) if outcome is not None] == [5]
    with app:
        assert not app.store.list_jobs(JobQuery(source_name="bad_async"))
        for n in set(range(THREADS)) - {5}:
            assert len(app.store.list_jobs(JobQuery(source_name=f"a{n}"))) == 1


def test_a_closed_queue_writes_what_waited_and_a_later_write_starts_again(app: App) -> None:
    queue = GroupCommit(app.enqueue)
    queue.enqueue(Outbox(jobs=[_job("before_close")]))
    queue.close()
    queue.close()  # closing twice is harmless
    queue.enqueue(Outbox(jobs=[_job("after_close")]))
    queue.close()
    with app:
        assert app.store.list_jobs(JobQuery(source_name="before_close"))
        assert app.store.list_jobs(JobQuery(source_name="after_close"))
