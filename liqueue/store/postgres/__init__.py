"""The PostgreSQL backend (psycopg 3 with a connection pool)."""

from liqueue.store.postgres.store import PostgresStore
from liqueue.store.postgres.wake import NotifyWakeListener

__all__ = ["NotifyWakeListener", "PostgresStore"]
