"""The worker's notifier: a commit's wake-up reaches the inbox, and closing it is prompt."""

from __future__ import annotations

import queue
import time

from liqueue.store import open_store
from liqueue.worker.notifier import WAKE, Notifier
from tests.store.factories import enqueue, spec


def test_a_wake_up_reaches_the_inbox_and_close_does_not_wait_out_a_long_poll(
    db_url: str,
) -> None:
    store = open_store(db_url)
    try:
        store.migrate()
        inbox: queue.SimpleQueue[object] = queue.SimpleQueue()
        notifier = Notifier(store, inbox)
        try:
            enqueue(store, spec("mail"))
            assert inbox.get(timeout=10) is WAKE
        finally:
            started = time.monotonic()
            notifier.close()
        # It waited out a whole poll of 1 s before: a --burst worker's last second.
        assert time.monotonic() - started < 0.8
    finally:
        store.close()
