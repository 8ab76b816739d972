"""The claim of due jobs, shared by the plain claim and the limited one (which leaves
out the limited sources: `limited`, empty for the plain claim)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from liqueue.jobs import Job
from liqueue.store import rows
from liqueue.store.sqlite.schema import SQL

NO_SOURCES = rows.dumps([])


def claim_due_rows(
    db: sqlite3.Connection,
    worker_id: str,
    limit: int,
    now: float,
    lease_seconds: float,
    priorities: Sequence[str],
    limited: str = NO_SOURCES,
) -> list[list[Any]]:
    """Up to `limit` due jobs' rows, one batch per priority in the order given;
    `limited` is a JSON list of source_names to leave out. Inside the caller's
    write; decoded by `jobs_from_batches`, which the plain claim calls after its
    write lock is free, so other processes wait less."""
    found: list[list[Any]] = []
    claimed = 0
    for name in priorities:
        remaining = limit - claimed
        if remaining <= 0:
            break
        params = {
            "now": now,
            "lease_until": now + lease_seconds,
            "worker_id": worker_id,
            "priority": rows.stored_priority(name),
            "limit": remaining,
            "limited": limited,
        }
        batch = db.execute(SQL["claim_jobs"], params).fetchall()
        claimed += len(batch)
        found.append(batch)
    return found


def jobs_from_batches(found: Sequence[Sequence[Any]]) -> list[Job]:
    claimed: list[Job] = []
    for found_rows in found:
        batch = rows.jobs_from_rows(found_rows)
        # RETURNING does not keep the subquery's order.
        batch.sort(key=lambda job: (job.run_at, job.id))
        claimed.extend(batch)
    return claimed
