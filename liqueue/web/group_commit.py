"""Queueing the outboxes of concurrent requests in one transaction (group commit).

Every request that queues something needs a write transaction, and writes
to one database take turns anyway; so one writer thread writes whatever
outboxes are waiting when it is free, in one transaction (SQLite: one BEGIN
IMMEDIATE/COMMIT and one wake-up; PostgreSQL: one round trip) for all of
them. (More writers on PostgreSQL measured slower: smaller batches, more
round trips, each costing the server more time.) If that transaction
fails, each outbox is written again on its own, so one request's bad outbox
never fails another and each request is still all or nothing.

A request rendered on the event loop awaits `write` (the loop serves others
meanwhile and is woken once per transaction); a thread calls `enqueue`,
which blocks. Either returns only once its outbox is committed.

Handing an outbox to the writer thread and being woken back cost the loop
more than committing a one-job outbox to SQLite itself (thread switches and
the GIL going back and forth, about 100 µs of the server's CPU a request),
and most of the writer's transactions held one request. So when the store
can commit without waiting (`enqueue_now`: SQLite with its write lock free
this instant), `write` commits on the loop instead, in one transaction, the
outboxes of the requests that reach that point while requests keep coming:
the batch is committed at the end of the first turn of the loop in which
none joined it (or once it is HOLD_SECONDS old or MAX_BATCH long). SQLite
took about 440 µs to commit eight one-job outboxes together and 190 µs for
one alone, and at a server's peak requests read in one turn reach this
point in the next: a batch closed at the end of its first turn held one
request most of the time. A turn in which none joins costs the loop one
poll of its sockets. When the lock is held (the writer thread, a
worker, another server), when the store is PostgreSQL (a round trip the
loop must not wait for) or when an event's fan-out would run a schema
template (which may block), the writer thread writes it as before. The
loop's commits go through a SQLite connection of their own that never
checkpoints the WAL (store/sqlite/loop_writes.py): a checkpoint inside a
commit held the loop for its fsyncs (a few ms, on a slow host over 20, each
time the WAL had grown by 1,000 pages), which was the p99 latency of the
pages that queue jobs. A thread checkpoints instead; while it holds the
write lock (a few ms every 200 commits) the loop's batches go to the writer
thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from liqueue.outbox import Outbox

MAX_BATCH = 64  # outboxes per transaction: bounds the wait of the last one
# A batch on the loop waits for more requests at most this long (loop time).
HOLD_SECONDS = 0.002


@dataclass(eq=False)
class _Waiting:
    outbox: Outbox
    future: asyncio.Future[None] | None = None  # awaited on its loop, or
    woken: threading.Event | None = None  # waited on by a thread
    error: BaseException | None = None


@dataclass(eq=False)
class _Turn:
    began: float  # the loop's time when the first outbox joined
    batch: list[_Waiting] = field(default_factory=list)


class _Writer(threading.Thread):
    def __init__(self, run: Callable[[_Writer], None]) -> None:
        super().__init__(target=run, args=(self,), name="liqueue-group-commit", daemon=True)
        self.stop = False  # set under GroupCommit's lock: write what waits, then end


class GroupCommit:
    def __init__(
        self,
        enqueue: Callable[[Outbox], None],
        enqueue_now: Callable[[Outbox], bool] | None = None,
    ) -> None:
        self._enqueue = enqueue
        self._enqueue_now = enqueue_now
        self._changed = threading.Condition()
        self._pending: list[_Waiting] = []
        self._writer: _Writer | None = None
        # Per event loop, the outboxes it will commit once no more join.
        self._this_turn: dict[asyncio.AbstractEventLoop, _Turn] = {}

    def enqueue(self, outbox: Outbox) -> None:
        """Persist `outbox` (alone or with others); raises what its own write raised."""
        if not outbox:
            return
        me = _Waiting(outbox, woken=threading.Event())
        self._submit([me])
        assert me.woken is not None
        me.woken.wait()
        if me.error is not None:
            raise me.error

    async def write(self, outbox: Outbox) -> None:
        """`enqueue` for a coroutine: the event loop is not blocked while it waits."""
        if not outbox:
            return
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        waiting = _Waiting(outbox, future=future)
        if self._enqueue_now is None:
            self._submit([waiting])
        else:
            turn = self._this_turn.get(loop)
            if turn is None:
                turn = self._this_turn[loop] = _Turn(loop.time())
                loop.call_soon(self._commit_turn, loop, 0)
            turn.batch.append(waiting)
        # A request cancelled meanwhile (its client went away) cancels only its
        # wait: the write goes on, and settling skips the cancelled future.
        await future

    def close(self) -> None:
        """Write what is waiting, then stop the writer thread (a later write starts another)."""
        with self._changed:
            writer, self._writer = self._writer, None
            if writer is None:
                return
            writer.stop = True
            self._changed.notify_all()
        writer.join()

    def _commit_turn(self, loop: asyncio.AbstractEventLoop, seen: int) -> None:
        turn = self._this_turn[loop]
        batch = turn.batch
        if seen < len(batch) < MAX_BATCH and loop.time() - turn.began < HOLD_SECONDS:
            # Requests joined since the last look: others may be on their way
            # (read in this turn's poll, rendered in the next), so look again.
            loop.call_soon(self._commit_turn, loop, len(batch))
            return
        del self._this_turn[loop]
        assert self._enqueue_now is not None
        try:
            committed = self._enqueue_now(_merged(batch))
        except Exception:
            committed = False  # the writer writes them one by one: each fails on its own
        if committed:
            _settle(batch)
            return
        self._submit(batch)

    def _submit(self, batch: list[_Waiting]) -> None:
        with self._changed:
            self._pending.extend(batch)
            if self._writer is None:
                self._writer = _Writer(self._run)
                self._writer.start()
            self._changed.notify()

    def _run(self, writer: _Writer) -> None:
        while True:
            with self._changed:
                while not self._pending and not writer.stop:
                    self._changed.wait()
                if not self._pending:
                    return
                batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            try:
                self._write(batch)
            except BaseException as err:  # not a store's error (those are caught per outbox)
                for waiting in batch:
                    waiting.error = waiting.error or err
            _wake(batch)

    def _write(self, batch: list[_Waiting]) -> None:
        if len(batch) > 1:
            try:
                self._enqueue(_merged(batch))
                return
            except Exception:
                pass  # written one by one below, each failing or not on its own
        for waiting in batch:
            try:
                self._enqueue(waiting.outbox)
            except BaseException as err:  # handed to the request it belongs to
                waiting.error = err


def _merged(batch: list[_Waiting]) -> Outbox:
    """The batch's outboxes as one (the outbox itself when it is alone)."""
    if len(batch) == 1:
        return batch[0].outbox
    merged = Outbox()
    for waiting in batch:
        merged.extend(waiting.outbox)
    return merged


def _wake(batch: list[_Waiting]) -> None:
    by_loop: dict[asyncio.AbstractEventLoop, list[_Waiting]] = {}
    for waiting in batch:
        if waiting.woken is not None:
            waiting.woken.set()
        elif waiting.future is not None:
            by_loop.setdefault(waiting.future.get_loop(), []).append(waiting)
    for loop, waiting_there in by_loop.items():
        # one wake-up per loop; a loop that has closed has nobody awaiting these
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(_settle, waiting_there)


def _settle(batch: list[_Waiting]) -> None:
    for waiting in batch:
        future = waiting.future
        if future is None or future.done():
            continue
        if waiting.error is not None:
            future.set_exception(waiting.error)
        else:
            future.set_result(None)
