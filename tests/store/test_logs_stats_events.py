"""add_logs, read_logs, stats, events."""

from __future__ import annotations

import pytest

from liqueue.errors import Location, NotFound, StoreError
from liqueue.events.event import Event
from liqueue.jobs import JobState
from liqueue.logs import LogEntry
from liqueue.outbox import Outbox
from liqueue.store import LogQuery, Store

from .factories import T0, attempt_log, enqueue, outcome, spec

ALL = ("high", "default", "low")


def _entries() -> list[LogEntry]:
    return [
        LogEntry(at=T0, type="info", message="page rendered", source_name="index"),
        attempt_log("job-1", "mailer", 1, True, 120, at=T0 + 1),
        attempt_log("job-1", "mailer", 2, False, 640, at=T0 + 2),
        LogEntry(at=T0 + 3, type="error", message="oops", source_name="mailer", job_id="job-1"),
        attempt_log("job-2", "report", 1, False, 30, at=T0 + 4),
    ]


def test_logs_round_trip_oldest_first_with_ids(store: Store) -> None:
    store.add_logs(_entries())
    store.add_logs([])
    read = store.read_logs(LogQuery())
    assert [entry.message for entry in read] == [entry.message for entry in _entries()]
    assert all(entry.id is not None for entry in read)
    ids = [entry.id for entry in read if entry.id is not None]
    assert ids == sorted(ids)
    second = read[1]
    assert (second.status, second.duration_ms, second.attempt, second.max_attempts) == (
        "FAILED",
        120,
        1,
        3,
    )


def test_read_logs_filters(store: Store) -> None:
    store.add_logs(_entries())

    def messages(query: LogQuery) -> list[str]:
        return [entry.message for entry in store.read_logs(query)]

    assert len(messages(LogQuery(source_name="mailer"))) == 3
    assert messages(LogQuery(status="FAILED")) == [_entries()[1].message]
    assert messages(LogQuery(type="error")) == ["oops"]
    assert len(messages(LogQuery(job_id="job-1"))) == 3
    assert len(messages(LogQuery(since=T0 + 2))) == 3
    assert messages(LogQuery(last=2)) == ["oops", _entries()[4].message]
    assert messages(LogQuery(type="attempt", source_name="mailer", last=1)) == [
        _entries()[2].message
    ]
    newest = store.read_logs(LogQuery())[-2].id
    assert messages(LogQuery(after_id=newest)) == [_entries()[4].message]
    assert messages(LogQuery(source_name="nobody")) == []


def test_stats_per_source(store: Store) -> None:
    done, retrying = enqueue(store, spec("mailer"), spec("mailer", max_attempts=3))
    enqueue(store, spec("report", delay_minutes=5))
    store.claim("w", 2, T0, 30, ALL)
    store.complete(
        [outcome(done), outcome(retrying, state=JobState.RETRY, next_run_at=T0 + 60)], T0
    )
    store.add_logs(_entries())

    stats = {item.source_name: item for item in store.stats()}
    assert list(stats) == ["mailer", "report"]  # sorted; "index" has no job nor attempt
    mailer = stats["mailer"]
    assert mailer.counts["done"] == 1 and mailer.counts["retry"] == 1
    assert mailer.counts["scheduled"] == 0
    assert (mailer.attempts, mailer.failed_attempts, mailer.retries) == (2, 1, 1)
    assert sorted(mailer.durations_ms) == [120, 640]
    assert mailer.success_rate == 0.5
    report = stats["report"]
    assert report.counts["scheduled"] == 1
    assert (report.attempts, report.durations_ms) == (1, [30])


def test_events_are_stored_with_their_consumer_jobs(store: Store) -> None:
    paid = Event(
        id="ev-paid",
        type="order_paid",
        payload={"order": 7},
        at=T0,
        origin=Location("app/x.liquid", 2),
    )
    bad = Event(
        id="ev-bad", type="order_paid", payload={}, at=T0 + 1, valid=False, errors=["no order"]
    )
    other = Event(id="ev-other", type="signup", payload={"n": 1}, at=T0 + 2)
    consumers = [spec("c1", event_id="ev-paid"), spec("c2", event_id="ev-paid")]
    store.enqueue(Outbox(jobs=consumers, events=[paid, bad, other]), T0)

    got = store.get_event("ev-paid")
    assert (got.type, got.payload, got.at, got.valid, got.origin) == (
        "order_paid",
        {"order": 7},
        T0,
        True,
        Location("app/x.liquid", 2),
    )
    assert sorted(got.job_ids) == sorted(job.id for job in consumers)
    invalid = store.get_event("ev-bad")
    assert (invalid.valid, invalid.errors, invalid.job_ids) == (False, ["no order"], [])

    assert [event.id for event in store.list_events()] == ["ev-other", "ev-bad", "ev-paid"]
    assert [event.id for event in store.list_events(type="order_paid")] == ["ev-bad", "ev-paid"]
    assert [event.id for event in store.list_events(limit=1)] == ["ev-other"]
    listed = store.list_events(type="order_paid")[1]
    assert len(listed.job_ids) == 2
    with pytest.raises(NotFound):
        store.get_event("missing")


def test_get_event_by_unique_prefix(store: Store) -> None:
    events = [
        Event(id="01a2-aaaa-1", type="t", payload={}, at=T0),
        Event(id="01a2-aaaa-2", type="t", payload={}, at=T0),
        Event(id="01a2-bbbb-1", type="t", payload={}, at=T0),
    ]
    store.enqueue(Outbox(events=events), T0)
    assert store.get_event("01a2-b").id == "01a2-bbbb-1"
    assert store.get_event("01A2-AAAA-2").id == "01a2-aaaa-2"
    with pytest.raises(StoreError, match="event id prefix '01a2-aaaa' is ambiguous"):
        store.get_event("01a2-aaaa")
    with pytest.raises(NotFound, match="no event '01a2-c'"):
        store.get_event("01a2-c")


def test_an_events_request_context_is_stored_with_it(store: Store) -> None:
    context = {"location": {"path": "/orders", "template": "app/views/pages/orders.liquid"}}
    store.enqueue(
        Outbox(events=[Event(id="ev-c", type="t", payload={}, at=T0, context=context)]), T0
    )
    assert store.get_event("ev-c").context == context
    assert store.list_events("t")[0].context == context
