"""Why a job waits, in words, for `jobs show` and the dashboard's job page: paused,
over a limit, or holding a unique key that refuses duplicates; and when it was
reached through a refused duplicate's id."""

from __future__ import annotations

from liqueue.jobs import Job, JobState
from liqueue.policies import Policies, describe_unique
from liqueue.store import Store

_WAITING = (JobState.SCHEDULED, JobState.RETRY)


def waiting_reason(policies: Policies, store: Store, job: Job, now: float) -> str | None:
    reasons = _paused(store, job) if job.state in _WAITING else []
    policy = policies.sources.get(job.source_name)
    if policy is None:
        return "; ".join(reasons) or None
    if job.state in _WAITING and job.run_at <= now and policy.limited:
        per = policy.rate.per_seconds if policy.rate is not None else 0.0
        running, starts = store.limit_usage(job.source_name, now - per)
        if policy.concurrency is not None and running >= policy.concurrency:
            reasons.append(
                f"over the concurrency limit of {job.source_name}: "
                f"{running} running, limit {policy.concurrency}"
            )
        if policy.rate is not None and starts >= policy.rate.count:
            reasons.append(
                f"over the rate limit of {job.source_name}: {starts} started in the last "
                f"{per:g}s, limit {policy.rate}"
            )
    if policy.unique is not None and job.state not in (JobState.DONE, JobState.DEAD):
        by = describe_unique(policy.unique, job.arguments)
        reasons.append(f"unique: duplicates of this job ({by}) are refused while it is queued")
    return "; ".join(reasons) or None


def reached_through(asked: str, job: Job) -> str | None:
    """Said when `asked` is not this job's id but a refused duplicate's (job_aliases):
    a unique job that lost a race with a concurrent render, whose id the render
    had already handed out."""
    wanted = asked.strip().lower()
    if job.id.startswith(wanted):
        return None
    return f"{wanted}: a duplicate's id (not queued: this job holds its unique key)"


def _paused(store: Store, job: Job) -> list[str]:
    """The pauses holding this job back (store/pauses.py): its priority, its source."""
    reasons = []
    for pause in store.list_pauses():
        target = pause.target
        if (target.kind, target.name) in (
            ("priority", job.priority),
            ("source_name", job.source_name),
        ):
            by = f" by {pause.paused_by}" if pause.paused_by else ""
            reasons.append(f"paused: {target.kind} {target.name} is paused{by}")
    return reasons
