"""Durable storage behind one contract; one module per backend."""

from liqueue.store.backends import open_store
from liqueue.store.base import (
    JobQuery,
    LogQuery,
    SourceStats,
    Store,
    WakeListener,
)

__all__ = [
    "JobQuery",
    "LogQuery",
    "SourceStats",
    "Store",
    "WakeListener",
    "open_store",
]
