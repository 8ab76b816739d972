"""Durable storage behind one contract; one module per backend."""

from liqueue.store.base import (
    AttemptOutcome,
    EventRecord,
    JobQuery,
    LogQuery,
    Outbox,
    SourceStats,
    Store,
    WakeListener,
)
from liqueue.store.url import open_store

__all__ = [
    "AttemptOutcome",
    "EventRecord",
    "JobQuery",
    "LogQuery",
    "Outbox",
    "SourceStats",
    "Store",
    "WakeListener",
    "open_store",
]
