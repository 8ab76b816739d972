"""The SQLite backend (the embedded default)."""

from liqueue.store.sqlite.store import SQLiteStore
from liqueue.store.sqlite.wake import SocketWakeListener

__all__ = ["SQLiteStore", "SocketWakeListener"]
