"""The limited claim: jobs of sources with a concurrency or rate limit, within them.

Used only when the application sets such limits (the plain claim is untouched
otherwise). Runs inside the backend's claim transaction, after the backend
made it exclusive for these sources (SQLite: BEGIN IMMEDIATE; PostgreSQL:
row locks on `source_limits`), so the counts it reads stay true until commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from liqueue.policies import SourcePolicy
from liqueue.store import rows
from liqueue.store.policy_rows import LimitedClaim
from liqueue.store.shared import Connection, SQLFiles


@dataclass(frozen=True)
class ClaimRequest:
    worker_id: str
    limit: int
    clock: Callable[[], float]
    lease_seconds: float


def claim_limited_sources(
    conn: Connection,
    sql: SQLFiles,
    request: ClaimRequest,
    limits: Mapping[str, SourcePolicy],
    record_starts: Callable[[str, int, float], None],
) -> LimitedClaim:
    """Claim what each limited source may start now; `record_starts(source, n, at)`
    notes n starts of a rate-limited source in this transaction."""
    result = LimitedClaim()
    for source, policy in sorted(limits.items()):
        room = request.limit - len(result.jobs)
        allowed = _allowance(conn, sql, source, policy, request.clock(), result)
        if allowed <= 0 or room <= 0:
            continue
        # Read after the counts: a start is never recorded earlier than the
        # completion that freed its slot (the clock moves on while we wait).
        now = request.clock()
        params = {
            "now": now,
            "lease_until": now + request.lease_seconds,
            "worker_id": request.worker_id,
            "source_name": source,
            "limit": min(room, allowed),
        }
        found = [rows.job_from_row(row) for row in conn.execute(sql["claim_source_jobs"], params)]
        found.sort(key=lambda job: (job.priority.rank, job.run_at, job.id))
        if found and policy.rate is not None:
            record_starts(source, len(found), now)
        result.jobs.extend(found)
    return result


def _allowance(
    conn: Connection,
    sql: SQLFiles,
    source: str,
    policy: SourcePolicy,
    now: float,
    result: LimitedClaim,
) -> int:
    """How many jobs of `source` may start now; a full source is noted as blocked."""
    allowed = 1 << 30
    if policy.concurrency is not None:
        running = int(conn.execute(sql["running_of_source"], {"source_name": source}).fetchone()[0])
        allowed = policy.concurrency - running
        if allowed <= 0:
            result.blocked.append(source)
            return 0
    if policy.rate is not None:
        since = now - policy.rate.per_seconds
        conn.execute(sql["prune_starts"], {"source_name": source, "before": since})
        count, oldest = conn.execute(
            sql["starts_of_source"], {"source_name": source, "since": since}
        ).fetchone()
        left = policy.rate.count - int(count)
        if left <= 0:
            result.blocked.append(source)
            frees_at = float(oldest) + policy.rate.per_seconds
            result.retry_at = (
                frees_at if result.retry_at is None else min(result.retry_at, frees_at)
            )
            return 0
        allowed = min(allowed, left)
    return allowed
