"""Turns the store's wake-ups into WAKE items in the worker's inbox."""

from __future__ import annotations

import queue
import threading

from liqueue.store import Store

WAKE = object()

# A listener's wait cannot be cut short, so `close` waits out the current one:
# short slices let a worker (a `--burst` one above all) exit without a pause.
# An idle wait is a poll() of one socket: ten a second cost nothing measurable.
WAIT_SLICE_SECONDS = 0.1


class Notifier:
    def __init__(self, store: Store, inbox: queue.SimpleQueue[object]) -> None:
        self._listener = store.wake_listener()
        self._inbox = inbox
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="liqueue-notifier", daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while not self._closed.is_set():
            if self._listener.wait(WAIT_SLICE_SECONDS) and not self._closed.is_set():
                self._inbox.put(WAKE)

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=2.0)
        self._listener.close()
