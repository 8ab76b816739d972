"""What migration 0007 keeps for the dashboard, on both backends: the per-minute
attempt histogram behind the overview's chart and windowed stats, and the
parent job of the jobs and events a job's body queued."""

from __future__ import annotations

from pathlib import Path

import httpx

from liqueue.events.event import Event
from liqueue.jobs import JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.outbox import Outbox
from liqueue.store import Store
from liqueue.store.overview import MINUTE_BUCKETS_MS, bucket_percentile, minute_bucket
from liqueue.store.stats import percentile, stats_report
from tests.dashboard.conftest import liqueue
from tests.store.factories import T0, attempt_log, enqueue, spec
from tests.web.conftest import Serve, write_app


def test_windowed_stats_from_the_histogram_track_the_exact_ones(store: Store) -> None:
    (job_id,) = enqueue(store, spec("mail"))
    durations = [3 * n for n in range(1, 201)]  # 3 .. 600 ms
    store.add_logs(
        [
            attempt_log(job_id, "mail", 1 + n % 3, n % 10 == 0, ms, at=T0 + 120 + n)
            for n, ms in enumerate(durations)
        ]
        + [attempt_log(job_id, "mail", 1, False, 5, at=T0)]  # before the window
    )
    since = T0 + 120
    [exact] = stats_report(store.window_stats(since))
    [kept] = store.window_report(since)
    assert kept.counts == exact.counts and kept.counts["scheduled"] == 1
    assert (kept.success_pct, kept.retries, kept.max_ms) == (90.0, 133, 600)
    assert (kept.success_pct, kept.retries, kept.max_ms) == (
        exact.success_pct,
        exact.retries,
        exact.max_ms,
    )
    # Within the width of the bucket the true value falls in.
    assert exact.p50_ms == 300 and kept.p50_ms is not None and 200 <= kept.p50_ms <= 300
    assert exact.p95_ms == 570 and kept.p95_ms is not None and 500 <= kept.p95_ms <= 600
    minutes = store.attempts_per_minute(since)
    assert sum(m.count for m in minutes) == 200
    assert sum(m.count for m in minutes if m.status == "FAILED") == 20


def test_prune_forgets_the_minutes_older_than_every_job_it_keeps(store: Store) -> None:
    (job_id,) = enqueue(store, spec("mail"))
    store.add_logs(
        [
            attempt_log(job_id, "mail", 1, False, 5, at=T0 - 3600),  # older than both
            attempt_log(job_id, "mail", 1, False, 5, at=T0 - 600),  # a dead job's may be kept
            attempt_log(job_id, "mail", 1, True, 5, at=T0 + 60),
        ]
    )
    store.attempts_per_minute(0)  # PostgreSQL folds its deltas here: both kinds of rows
    store.add_logs([attempt_log(job_id, "mail", 2, False, 5, at=T0 - 3590)])
    store.prune(done_before=T0, dead_before=T0 - 1800)
    minutes = {(m.minute, m.status): m.count for m in store.attempts_per_minute(0)}
    assert minutes == {(T0 - 600, "SUCCESS"): 1, (T0 + 60, "FAILED"): 1}


def test_the_sql_buckets_are_the_python_ones(store: Store) -> None:
    (job_id,) = enqueue(store, spec("x"))
    edges = sorted({0, *MINUTE_BUCKETS_MS, *(b + 1 for b in MINUTE_BUCKETS_MS)})
    # One source per duration, with a second, slower attempt: its p50 is the
    # top of the bucket the SQL put the first one in.
    store.add_logs(
        [attempt_log(job_id, f"d{ms}", 1, False, ms, at=T0 + 60) for ms in edges]
        + [attempt_log(job_id, f"d{ms}", 1, False, 10**6, at=T0 + 60) for ms in edges]
    )
    report = {line.source_name: line for line in store.window_report(T0)}
    for ms in edges:
        bound = minute_bucket(ms)
        expected = bound if bound != -1 else 650_000  # halfway from the last bound to the max
        assert report[f"d{ms}"].p50_ms == expected, ms
        assert report[f"d{ms}"].max_ms == 10**6


def test_bucket_percentile_interpolates_and_never_passes_the_max() -> None:
    assert bucket_percentile([], 50, None) is None
    assert bucket_percentile([(10, 100)], 50, 90) == 85  # 70 + 30 * 5/10
    assert bucket_percentile([(4, 10), (1, -1)], 95, 400_000) == 400_000
    assert percentile([1, 2, 3], 50) == 2


def test_jobs_and_events_a_job_queued_know_their_parent(store: Store) -> None:
    (parent,) = enqueue(store, spec("parent"))
    store.claim("w", 1, T0 + 1, 30, ["default"])
    event = Event("01900000-0000-7000-8000-00000000e001", "order.created", {"n": 1}, T0 + 2)
    child, consumer = spec("child"), spec("consumer", event_id=event.id)
    done = AttemptOutcome(
        job_id=parent,
        attempt=1,
        state=JobState.DONE,
        finished_at=T0 + 2,
        outbox=Outbox(jobs=[child, consumer], events=[event]),
    )
    store.complete([done], T0 + 2)
    family = store.job_family(parent)
    assert family.parent_job_id is None
    assert [(q.id, q.detail) for q in family.jobs] == [(child.id, "scheduled")]
    assert [(q.id, q.detail) for q in family.events] == [(event.id, "order.created")]
    assert store.job_family(child.id).parent_job_id == parent
    assert store.job_family(consumer.id).parent_job_id is None  # its parent is its event
    assert store.get_job(consumer.id).event_id == event.id


FAMILY_APP = {
    "app/views/pages/queue.liquid": """{% background source_name: 'checkout' %}
{% background source_name: 'receipt' %}{% log 'receipt sent' %}{% endbackground %}
{% trigger_event 'order.created', n: 1 %}
{% endbackground %}
""",
    "app/lib/consumers/order.created/notify.liquid": "{% log 'notified' %}",
}


def test_the_job_page_and_api_show_what_a_job_queued(
    tmp_path: Path, db_url: str, serve: Serve
) -> None:
    root = write_app(tmp_path / "family", FAMILY_APP)
    for args in (("migrate",), ("render", "queue"), ("worker", "--burst")):
        done = liqueue(args[0], str(root), "--db", db_url, *args[1:])
        assert done.returncode == 0, done.stderr
    server = serve(root, "--db", db_url)
    api = server.url + "/_liqueue/api"
    jobs = {j["source_name"]: j for j in httpx.get(api + "/jobs").json()["jobs"]}
    notify = "consumers/order.created/notify"
    assert set(jobs) == {"checkout", "receipt", notify}
    checkout = httpx.get(api + f"/jobs/{jobs['checkout']['id']}").json()
    assert checkout["parent_job_id"] is None
    assert [q["id"] for q in checkout["queued_jobs"]] == [jobs["receipt"]["id"]]
    assert [q["type"] for q in checkout["queued_events"]] == ["order.created"]
    receipt = httpx.get(api + f"/jobs/{jobs['receipt']['id']}").json()
    assert receipt["parent_job_id"] == jobs["checkout"]["id"]
    consumer = httpx.get(api + f"/jobs/{jobs[notify]['id']}").json()
    assert consumer["parent_job_id"] is None  # its parent is its event
    assert consumer["event"]["id"] == checkout["queued_events"][0]["id"]
    page = httpx.get(server.url + f"/_liqueue/jobs/{jobs['checkout']['id']}").text
    assert "Queued by this job" in page and jobs["receipt"]["id"] in page
    assert checkout["queued_events"][0]["id"] in page
    child_page = httpx.get(server.url + f"/_liqueue/jobs/{jobs['receipt']['id']}").text
    assert "Queued by job" in child_page and jobs["checkout"]["id"] in child_page
