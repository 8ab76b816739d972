"""What the CLI, dashboard and API all show: stats report, retry report, consumer jobs, URLs."""

from __future__ import annotations

import pytest

from liqueue.errors import NotFound
from liqueue.events.event import Event
from liqueue.jobs import JobState
from liqueue.outbox import Outbox
from liqueue.store import SourceStats, Store
from liqueue.store.event_jobs import ConsumerJob, consumer_jobs
from liqueue.store.retry import RetriedJob, retry_jobs
from liqueue.store.stats import STATES, SourceReport, percentile, stats_report
from liqueue.store.url import redact

from .factories import T0, attempt_log, enqueue, outcome, spec

ALL = ("high", "default", "low")


def test_percentile_is_a_measured_value_by_nearest_rank() -> None:
    assert percentile([], 50) is None
    assert percentile([7], 95) == 7
    assert percentile([10, 20, 30, 40], 50) == 20
    assert percentile([10, 20, 30, 40], 95) == 40
    assert percentile(list(range(1, 101)), 95) == 95


def test_source_report_rounds_the_rate_and_sorts_durations() -> None:
    stats = SourceStats("mailer", {"done": 2, "dead": 1}, 3, 2, 1, [900, 100, 200])
    line = SourceReport.of(stats)
    assert line.counts == {state: {"done": 2, "dead": 1}.get(state, 0) for state in STATES}
    assert list(line.counts) == STATES
    assert (line.success_pct, line.p50_ms, line.p95_ms, line.max_ms, line.retries) == (
        33.3,
        200,
        900,
        900,
        1,
    )


def test_a_source_without_attempts_has_no_rate_nor_durations() -> None:
    line = SourceReport.of(SourceStats("later", {"scheduled": 1}, 0, 0, 0, []))
    assert (line.success_pct, line.p50_ms, line.p95_ms, line.max_ms) == (None, None, None, None)


def test_report_json_is_flat_with_counts_under_state_names() -> None:
    line = SourceReport.of(SourceStats("mailer", {"done": 1}, 1, 0, 0, [42]))
    assert line.to_json() == {
        "source_name": "mailer",
        **{state: int(state == "done") for state in STATES},
        "success_rate": 100.0,
        "p50_ms": 42,
        "p95_ms": 42,
        "max_ms": 42,
        "retries": 0,
        "job_success_rate": 100.0,  # done / (done + dead)
    }


def test_stats_report_of_a_store_lists_sources_in_name_order(store: Store) -> None:
    done, retrying = enqueue(store, spec("mailer"), spec("mailer", max_attempts=3))
    enqueue(store, spec("audit", delay_minutes=5))
    store.claim("w", 2, T0, 30, ALL)
    store.complete(
        [outcome(done), outcome(retrying, state=JobState.RETRY, next_run_at=T0 + 60)], T0
    )
    store.add_logs(
        [attempt_log(done, "mailer", 1, False, 640), attempt_log(retrying, "mailer", 1, True, 120)]
    )
    report = stats_report(store.stats())
    assert [line.source_name for line in report] == ["audit", "mailer"]
    mailer = report[1]
    assert (mailer.counts["done"], mailer.counts["retry"], mailer.success_pct) == (1, 1, 50.0)
    assert (mailer.p50_ms, mailer.max_ms) == (120, 640)
    assert stats_report([]) == []


def test_retry_reports_each_job_by_full_id_in_the_order_given(store: Store) -> None:
    dead, done, waiting = enqueue(store, spec("a"), spec("b"), spec("c", delay_minutes=5))
    store.claim("w", 2, T0, 30, ALL)
    store.complete([outcome(dead, state=JobState.DEAD), outcome(done)], T0 + 1)

    report = retry_jobs(store, [waiting[:20], dead, done], T0 + 10)
    assert report == [
        RetriedJob(waiting, JobState.SCHEDULED, JobState.SCHEDULED),
        RetriedJob(dead, JobState.DEAD, JobState.SCHEDULED),
        RetriedJob(done, JobState.DONE, JobState.DONE),
    ]
    assert [job.retried for job in report] == [False, True, False]
    assert store.get_job(dead).run_at == T0 + 10


def test_retry_with_an_unknown_id_changes_nothing(store: Store) -> None:
    (dead,) = enqueue(store, spec())
    store.claim("w", 1, T0, 30, ALL)
    store.complete([outcome(dead, state=JobState.DEAD)], T0 + 1)
    with pytest.raises(NotFound):
        retry_jobs(store, [dead, "ffffffff"], T0 + 10)
    assert store.get_job(dead).state is JobState.DEAD


def test_consumer_jobs_keep_pruned_ones_without_a_job(store: Store) -> None:
    kept, pruned = spec("c1", event_id="ev"), spec("c2", event_id="ev")
    event = Event(id="ev", type="order_paid", payload={}, at=T0)
    store.enqueue(Outbox(jobs=[kept, pruned], events=[event]), T0)
    store.claim("w", 2, T0, 30, ALL)
    store.complete([outcome(pruned.id), outcome(kept.id, state=JobState.RETRY, next_run_at=T0)], T0)
    job_ids = store.get_event("ev").job_ids
    # the event was read, then its finished job pruned (as a worker's maintenance may do)
    store.prune(done_before=T0 + 2, dead_before=T0 + 2)
    found = consumer_jobs(store, job_ids)
    assert [c.id for c in found] == job_ids
    by_id = {c.id: c for c in found}
    assert by_id[pruned.id] == ConsumerJob(pruned.id, None)
    job = by_id[kept.id].job
    assert job is not None and job.state is JobState.RETRY


def test_redact_hides_only_the_password() -> None:
    assert redact("postgresql://app:s3cret@db:5432/shop") == "postgresql://app:***@db:5432/shop"
    assert redact("postgresql://app@db/shop") == "postgresql://app@db/shop"
    assert redact("sqlite:///tmp/x.db") == "sqlite:///tmp/x.db"
