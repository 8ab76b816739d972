"""Queueing the outboxes of concurrent requests in one transaction (group commit).

Every request that queues something needs a write transaction, and writes
to one database take turns anyway; under load the requests waiting for
their turn are written together, one transaction (SQLite: one BEGIN
IMMEDIATE/COMMIT and one wake-up; PostgreSQL: one round trip) for all of
them. If that transaction fails, each outbox is written again on its own,
so one request's bad outbox never fails another and each request is still
all or nothing. With one request at a time this is a plain enqueue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from liqueue.outbox import Outbox

MAX_BATCH = 64  # outboxes per transaction: bounds the wait of the last one


@dataclass(eq=False)
class _Waiting:
    outbox: Outbox
    woken: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    done: bool = False


class GroupCommit:
    def __init__(self, enqueue: Callable[[Outbox], None]) -> None:
        self._enqueue = enqueue
        self._lock = threading.Lock()
        self._pending: list[_Waiting] = []
        self._writing = False

    def enqueue(self, outbox: Outbox) -> None:
        """Persist `outbox` (alone or with others); raises what its own write raised."""
        if not outbox:
            return
        me = _Waiting(outbox)
        with self._lock:
            self._pending.append(me)
            leads = not self._writing
            self._writing = True
        if not leads:
            me.woken.wait()
        if not me.done:  # woken to lead: the writer before handed over
            self._write_turn()
        if me.error is not None:
            raise me.error

    def _write_turn(self) -> None:
        with self._lock:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
        try:
            self._write(batch)
        except BaseException as err:  # not a store's error (those are caught per outbox)
            for waiting in batch:
                waiting.error = waiting.error or err
            raise
        finally:
            for waiting in batch:
                waiting.done = True
                waiting.woken.set()
            with self._lock:
                if self._pending:
                    self._pending[0].woken.set()  # the next writer, with all who came meanwhile
                else:
                    self._writing = False

    def _write(self, batch: list[_Waiting]) -> None:
        if len(batch) > 1:
            merged = Outbox()
            for waiting in batch:
                merged.extend(waiting.outbox)
            try:
                self._enqueue(merged)
                return
            except Exception:
                pass  # written one by one below, each failing or not on its own
        for waiting in batch:
            try:
                self._enqueue(waiting.outbox)
            except BaseException as err:  # handed to the request it belongs to
                waiting.error = err
