"""Durable storage behind one contract; one module per backend."""

from liqueue.store.base import (
    JobQuery,
    LogQuery,
    SourceStats,
    Store,
    WakeListener,
)
from liqueue.store.url import open_store

__all__ = [
    "JobQuery",
    "LogQuery",
    "SourceStats",
    "Store",
    "WakeListener",
    "open_store",
]
