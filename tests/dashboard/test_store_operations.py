"""The store operations behind the dashboard, the API and /metrics, on both backends."""

from __future__ import annotations

from liqueue.jobs import JobState, Priority
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.outbox import Outbox
from liqueue.store import Store
from liqueue.store.browse import JobCursor, JobFilter, each_page
from liqueue.store.overview import WorkerInfo
from liqueue.store.pauses import PauseTarget
from tests.store.factories import T0, attempt_log, enqueue, outcome, spec


def _counts(store: Store) -> dict[tuple[str, str, str], int]:
    return {(c.state.value, c.priority.value, c.source_name): c.count for c in store.job_counts()}


def test_job_counts_follow_every_change_of_state(store: Store) -> None:
    ids = enqueue(store, spec("email_send"), spec("email_send"), spec("charge", priority="high"))
    assert _counts(store) == {
        ("scheduled", "default", "email_send"): 2,
        ("scheduled", "high", "charge"): 1,
    }
    claimed = store.claim("w1", 10, T0 + 1, 30, ["high", "default", "low"])
    assert len(claimed) == 3
    store.complete([outcome(ids[0]), outcome(ids[2], state=JobState.DEAD)], T0 + 2)
    store.delete_job(ids[2])
    assert _counts(store) == {
        ("running", "default", "email_send"): 1,
        ("done", "default", "email_send"): 1,
    }
    assert store.count_jobs(JobFilter(state=JobState.DONE)) == 1
    assert store.count_jobs(JobFilter(source_name="email_send")) == 2


def test_pages_walk_every_matching_job_once_newest_first(store: Store) -> None:
    for n in range(25):
        enqueue(store, spec("mail", arguments={"n": n, "to": f"u{n}@x.io"}), now=T0 + n)
    enqueue(store, spec("other"), now=T0 + 100)
    wanted = JobFilter(source_name="mail")
    seen = [
        job.arguments["n"] for page in each_page(store.find_jobs, wanted, size=10) for job in page
    ]
    assert seen == list(range(24, -1, -1))
    first = store.find_jobs(JobFilter(), 3, None)
    assert first[0].source_name == "other"
    after = store.find_jobs(JobFilter(), 3, JobCursor.after(first[-1]))
    assert [j.arguments["n"] for j in after] == [22, 21, 20]
    assert [j.arguments["n"] for j in store.find_jobs(JobFilter(text="U7@"), 10, None)] == [7]
    ranged = JobFilter(since=T0 + 5, until=T0 + 8)
    assert [j.arguments["n"] for j in store.find_jobs(ranged, 10, None)] == [7, 6, 5]
    assert store.count_jobs(ranged) == 3
    assert store.find_jobs(JobFilter(priority=Priority.LOW), 10, None) == []


def test_batch_actions_skip_jobs_they_do_not_apply_to(store: Store) -> None:
    ids = enqueue(store, spec("a"), spec("a"), spec("a", delay_minutes=60))
    store.claim("w1", 1, T0 + 1, 30, ["default"])
    assert store.run_jobs_now(ids, T0 + 2) == 1  # only the delayed one was waiting
    assert store.cancel_jobs(ids, T0 + 2) == 2  # the running one goes on
    assert store.delete_jobs(ids) == 2
    assert [job.state for job in store.find_jobs(JobFilter(), 10, None)] == [JobState.RUNNING]


def test_a_paused_source_or_priority_waits_and_runs_after_resume(store: Store) -> None:
    enqueue(store, spec("report"), spec("mail"), spec("urgent", priority="high"))
    assert store.pause(PauseTarget.parse("source_name", "report"), T0, "admin")
    assert not store.pause(PauseTarget.parse("source_name", "report"), T0, "admin")
    assert store.pause(PauseTarget.parse("priority", "high"), T0, None)
    claimed = store.claim("w1", 10, T0 + 1, 30, ["high", "default", "low"])
    assert [job.source_name for job in claimed] == ["mail"]
    assert store.next_run_at() is None  # nothing claimable waits: workers sleep
    assert {p.target.key for p in store.list_pauses()} == {"source_name:report", "priority:high"}
    assert store.resume(PauseTarget("source_name", "report"))
    assert not store.resume(PauseTarget("source_name", "report"))
    store.resume(PauseTarget("priority", "high"))
    claimed = store.claim("w1", 10, T0 + 2, 30, ["high", "default", "low"])
    assert sorted(job.source_name for job in claimed) == ["report", "urgent"]


def test_attempt_counters_latency_and_minutes(store: Store) -> None:
    ids = enqueue(store, spec("charge"), spec("charge", priority="low"))
    store.add_logs(
        [
            attempt_log(ids[0], "charge", 1, True, 7, at=T0 + 60),
            attempt_log(ids[0], "charge", 2, False, 700, at=T0 + 61),
            attempt_log(ids[1], "charge", 1, False, 99_000, at=T0 + 130),
        ]
    )
    counts = {(a.status, a.le_ms): (a.count, a.sum_ms) for a in store.attempt_counts()}
    assert counts == {
        ("FAILED", 10): (1, 7),
        ("SUCCESS", 1000): (1, 700),
        ("SUCCESS", -1): (1, 99_000),
    }
    minutes = [(m.minute - T0, m.status, m.count) for m in store.attempts_per_minute(T0)]
    assert minutes == [(60.0, "FAILED", 1), (60.0, "SUCCESS", 1), (120.0, "SUCCESS", 1)]
    latency = store.queue_latency(T0 + 10)
    assert latency == {"high": None, "default": 10.0, "low": 10.0}
    window = {s.source_name: s for s in store.window_stats(T0 + 100)}
    assert window["charge"].attempts == 1 and window["charge"].counts["scheduled"] == 2


def test_workers_register_heartbeat_and_leave(store: Store) -> None:
    worker = WorkerInfo("host:1:ab", "host", 1, T0, T0, 0)
    store.save_worker(worker)
    store.save_worker(WorkerInfo("host:1:ab", "host", 1, T0, T0 + 5, 3))
    store.save_worker(WorkerInfo("gone:2:cd", "gone", 2, T0, T0 - 600, 0))
    assert store.prune_workers(T0 - 60) == 1
    assert [(w.id, w.heartbeat_at, w.running) for w in store.list_workers()] == [
        ("host:1:ab", T0 + 5, 3)
    ]
    store.remove_worker("host:1:ab")
    assert store.list_workers() == []


def test_completions_count_through_the_triggers(store: Store) -> None:
    (job_id,) = enqueue(store, spec("x", max_attempts=1))
    store.claim("w", 1, T0 + 1, 30, ["default"])
    store.complete(
        [
            AttemptOutcome(
                job_id=job_id,
                attempt=1,
                state=JobState.DEAD,
                finished_at=T0 + 2,
                outbox=Outbox(logs=[attempt_log(job_id, "x", 1, True, 3, at=T0 + 2)]),
            )
        ],
        T0 + 2,
    )
    assert _counts(store) == {("dead", "default", "x"): 1}
    assert [(a.status, a.count) for a in store.attempt_counts()] == [("FAILED", 1)]
