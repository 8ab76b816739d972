"""Fixtures of the schedules and flow-control tests: PostgreSQL's, and worker processes."""

from tests.postgres.conftest import fresh_database, pg_url, start_worker

__all__ = ["fresh_database", "pg_url", "start_worker"]
