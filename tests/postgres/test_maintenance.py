"""Rescue and prune from many processes at once, with no leader: each job handled once."""

from __future__ import annotations

import json
import time
from collections import Counter

import psycopg

from liqueue.jobs import JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.outbox import Outbox
from liqueue.store import JobQuery, LogQuery, open_store
from tests.processes import finish, release, start_ready
from tests.store.factories import spec

from .db import state_counts

MAINTAINER = """
import json, sys
from liqueue.store import open_store

url, now = sys.argv[1], float(sys.argv[2])
store = open_store(url)
store.next_run_at()  # connected before the race starts
print("ready", flush=True)
sys.stdin.readline()
rescued = store.rescue_expired(now)
pruned = store.prune(now - 50, now - 50)
store.close()
print(json.dumps({"rescued": rescued, "pruned": pruned}), flush=True)
"""

PROCESSES = 6
LOST = 3000  # held by a worker that died; their leases ran out
DOOMED = 300  # of those, already rescued max_rescues times: they become dead
FINISHED = 1000  # done long ago: pruned


def test_many_processes_rescue_and_prune_the_same_jobs_each_once(pg_url: str) -> None:
    now = time.time()
    store = open_store(pg_url)
    try:
        lost = [spec("lost") for _ in range(LOST)]
        store.enqueue(Outbox(jobs=lost), now - 200)
        claimed = store.claim("dead-worker", LOST, now - 100, 10, ["default"])
        assert len(claimed) == LOST
        finished = [spec("old") for _ in range(FINISHED)]
        store.enqueue(Outbox(jobs=finished), now - 200)
        jobs = store.claim("old-worker", FINISHED, now - 100, 10, ["default"])
        store.complete([AttemptOutcome(j.id, 1, JobState.DONE, now - 100) for j in jobs], now - 100)
        doomed = {item.id for item in lost[:DOOMED]}
        with psycopg.connect(pg_url) as conn:
            conn.execute("UPDATE jobs SET rescues = 3 WHERE id = ANY(%s)", (list(doomed),))

        children = start_ready(MAINTAINER, [(pg_url, str(now)) for _ in range(PROCESSES)])
        release(children)
        results = [json.loads(finish(child).splitlines()[-1]) for child in children]

        rescued = Counter(job_id for result in results for job_id in result["rescued"])
        assert set(rescued) == {item.id for item in lost} - doomed
        assert max(rescued.values()) == 1, "a job was rescued twice"
        assert sum(result["pruned"] for result in results) == FINISHED

        entries = store.read_logs(LogQuery(type="rescue"))
        per_job = Counter(entry.job_id for entry in entries)
        assert set(per_job) == {item.id for item in lost}
        assert max(per_job.values()) == 1, "a rescue was logged twice"
        assert state_counts(pg_url) == {"scheduled": LOST - DOOMED, "dead": DOOMED}
        dead = store.list_jobs(JobQuery(state=JobState.DEAD, limit=LOST))
        assert {job.id for job in dead} == doomed
        assert {job.error_class for job in dead} == {"WorkerLost"}
        with psycopg.connect(pg_url) as conn:
            row = conn.execute("SELECT min(rescues), max(rescues) FROM jobs").fetchone()
        assert row == (1, 4)
    finally:
        store.close()
