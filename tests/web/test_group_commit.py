"""Concurrent requests' outboxes written together, each still all or nothing."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from liqueue.app import STATE_DIR, App
from liqueue.errors import Location
from liqueue.events.event import PYTHON_ORIGIN, Event, new_event
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


@pytest.mark.parametrize("on_loop", [False, True], ids=["writer-thread", "on-the-loop"])
def test_coroutines_await_their_own_outcome_and_the_loop_goes_on(app: App, on_loop: bool) -> None:
    queue = GroupCommit(app.enqueue, app.enqueue_now if on_loop else None)

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


def _writers() -> int:
    return sum(thread.name == "liqueue-group-commit" for thread in threading.enumerate())


def test_outboxes_of_one_turn_of_the_loop_commit_together_on_the_loop(app: App) -> None:
    sizes: list[int] = []

    def now(outbox: Outbox) -> bool:
        sizes.append(len(outbox.jobs))
        return app.enqueue_now(outbox)

    queue = GroupCommit(app.enqueue, now)
    writers = _writers()

    async def requests() -> None:
        await asyncio.gather(*(queue.write(Outbox(jobs=[_job(f"t{n}")])) for n in range(THREADS)))
        await queue.write(Outbox(jobs=[_job("next_turn")]))

    asyncio.run(requests())
    assert sizes == [THREADS, 1]
    assert _writers() == writers  # no thread was started
    with app:
        for source in [*(f"t{n}" for n in range(THREADS)), "next_turn"]:
            assert len(app.store.list_jobs(JobQuery(source_name=source))) == 1


def test_a_held_write_lock_hands_the_outbox_to_the_writer_and_the_loop_goes_on(
    app: App,
) -> None:
    queue = GroupCommit(app.enqueue, app.enqueue_now)
    writers = _writers()
    holder = sqlite3.connect(app.root / STATE_DIR / "liqueue.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process (a worker) writing

    async def request_while_locked() -> int:
        write = asyncio.ensure_future(queue.write(Outbox(jobs=[_job("waited")])))
        turns = 0
        while _writers() == writers:
            await asyncio.sleep(0)
            turns += 1
        for _ in range(10):  # the loop goes on while the writer waits for the lock
            await asyncio.sleep(0.001)
            turns += 1
        assert not write.done()
        holder.execute("ROLLBACK")
        await write
        return turns

    assert asyncio.run(request_while_locked()) >= 10
    queue.close()
    holder.close()
    with app:
        assert app.store.list_jobs(JobQuery(source_name="waited"))


def test_an_event_with_a_schema_is_fanned_out_by_the_writer_thread(tmp_path: Path) -> None:
    schema = '{% assign r = \'{"valid": true, "errors": []}\' | parse_json %}{% return r %}'
    app = App(
        write_app(
            tmp_path / "events",
            {
                "liqueue.yml": "environment: test\n",
                "app/lib/consumers/plain.event/a.liquid": "{% log 'a' %}",
                "app/lib/consumers/checked.event/a.liquid": "{% log 'a' %}",
                "app/lib/events/checked.event.liquid": schema,
            },
        )
    )
    app.store.migrate()
    queue = GroupCommit(app.enqueue, app.enqueue_now)

    def event(type: str) -> Event:
        return new_event(type, {}, at=1000.0, origin=PYTHON_ORIGIN)

    writers = _writers()
    plain, checked = event("plain.event"), event("checked.event")
    asyncio.run(queue.write(Outbox(events=[plain])))
    assert _writers() == writers  # a fan-out without templates: on the loop
    asyncio.run(queue.write(Outbox(events=[checked])))
    assert _writers() == writers + 1  # the schema is a template: the writer thread
    queue.close()
    with app:
        for published in (plain, checked):
            assert len(app.store.get_event(published.id).job_ids) == 1


def test_postgresql_never_commits_on_the_loop(tmp_path: Path, pg_url: str) -> None:
    """A write to PostgreSQL is a round trip the loop must not wait for: enqueue_now
    answers False and writes nothing, so the writer thread writes it."""
    app = App(
        write_app(tmp_path / "app", {"liqueue.yml": "environment: test\n"}), database_url=pg_url
    )
    try:
        assert app.enqueue_now(Outbox(jobs=[_job("on_loop")])) is False
        assert app.store.list_jobs(JobQuery()) == []
        queue = GroupCommit(app.enqueue, app.enqueue_now)
        asyncio.run(queue.write(Outbox(jobs=[_job("by_the_writer")])))
        queue.close()
        assert [job.source_name for job in app.store.list_jobs(JobQuery())] == ["by_the_writer"]
    finally:
        app.close()


def test_outboxes_joining_in_the_next_turns_commit_with_the_first(app: App) -> None:
    sizes: list[int] = []

    def now(outbox: Outbox) -> bool:
        sizes.append(len(outbox.jobs))
        return app.enqueue_now(outbox)

    queue = GroupCommit(app.enqueue, now)

    async def request(n: int) -> None:
        for _ in range(n):  # reaching the commit point n turns after the first
            await asyncio.sleep(0)
        await queue.write(Outbox(jobs=[_job(f"late{n}")]))

    async def requests() -> None:
        await asyncio.gather(*(request(n) for n in range(4)))

    asyncio.run(requests())
    assert sizes == [4]
    with app:
        for n in range(4):
            assert len(app.store.list_jobs(JobQuery(source_name=f"late{n}"))) == 1


def test_a_batch_waits_for_joiners_no_longer_than_its_hold(app: App) -> None:
    committed_at: list[float] = []

    def now(outbox: Outbox) -> bool:
        committed_at.append(time.monotonic())
        return app.enqueue_now(outbox)

    queue = GroupCommit(app.enqueue, now)
    waited: list[float] = []

    async def request(n: int) -> None:
        began = time.monotonic()
        await queue.write(Outbox(jobs=[_job(f"stream{n}")]))
        waited.append(time.monotonic() - began)

    async def stream() -> None:
        # For 0.3 s, a request reaches the commit point in every turn, each
        # turn taking 2 ms (a slow render): a batch of MAX_BATCH would wait 128.
        tasks: list[asyncio.Task[None]] = []
        stop_at = time.monotonic() + 0.3
        n = 0
        while time.monotonic() < stop_at:
            tasks.append(asyncio.ensure_future(request(n)))
            n += 1
            time.sleep(0.002)
            await asyncio.sleep(0)
        await asyncio.gather(*tasks)

    asyncio.run(stream())
    assert len(committed_at) > 10
    assert max(waited) < 0.05  # its batch's hold, a turn or two, a commit
