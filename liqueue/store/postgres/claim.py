"""The claim of due jobs, shared by the plain claim and the limited one (which leaves
out the limited sources: `limited`, empty for the plain claim)."""

from __future__ import annotations

from collections.abc import Sequence

from liqueue.jobs import Job
from liqueue.store import rows
from liqueue.store.postgres.connection import Conn
from liqueue.store.postgres.schema import SQL


def claim_due(
    conn: Conn,
    worker_id: str,
    limit: int,
    now: float,
    lease_seconds: float,
    priorities: Sequence[str],
    limited: Sequence[str] = (),
) -> list[Job]:
    """Up to `limit` due jobs in one statement, priorities in the order given,
    without the source_names in `limited`."""
    order = [rows.stored_priority(name) for name in priorities]
    if limit <= 0 or not order:
        return []
    ranks = [*order, None, None, None][:3]
    params = {
        "now": now,
        "lease_until": now + lease_seconds,
        "worker_id": worker_id,
        "first": ranks[0],
        "second": ranks[1],
        "third": ranks[2],
        "limit": limit,
        "limited": list(limited),
    }
    found = conn.execute(SQL["claim_jobs"], params).fetchall()
    ranked = [(row[-1], rows.job_from_row(row[:-1])) for row in found]
    # Priorities in the order tried, then due time: as a claim per priority would.
    ranked.sort(key=lambda pair: (pair[0], pair[1].run_at, pair[1].id))
    return [job for _, job in ranked]
