"""Turns the store's wake-ups into WAKE items in the worker's inbox."""

from __future__ import annotations

import queue
import threading

from liqueue.store import Store

WAKE = object()


class Notifier:
    def __init__(self, store: Store, inbox: queue.SimpleQueue[object]) -> None:
        self._listener = store.wake_listener()
        self._inbox = inbox
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="liqueue-notifier", daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while not self._closed.is_set():
            if self._listener.wait(1.0) and not self._closed.is_set():
                self._inbox.put(WAKE)

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=2.0)
        self._listener.close()
