"""Programs run in child processes by the multi-process tests (python -c)."""

from __future__ import annotations

import json

CLAIMER = """
import json, sys, time
from liqueue.jobs import JobState
from liqueue.store import open_store
from liqueue.jobs.outcome import AttemptOutcome

url, worker, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = open_store(url)
print("ready", flush=True)
sys.stdin.readline()  # all children start claiming together
claimed = []
while True:
    jobs = store.claim(worker, batch, time.time(), 60, ["high", "default", "low"])
    if not jobs:
        break
    claimed += [job.id for job in jobs]
    # A worker runs its jobs between claim and complete. Without that pause one
    # process re-takes SQLite's write lock before the others' busy handlers
    # wake, and the test cannot tell concurrent claims from serial ones.
    time.sleep(0.001)
    now = time.time()
    store.complete(
        [AttemptOutcome(job.id, job.attempt, JobState.DONE, now) for job in jobs], now
    )
store.close()
print(json.dumps(claimed), flush=True)
"""

ENQUEUER = """
import sys, time
from liqueue.errors import Location
from liqueue.jobs import JobSpec
from liqueue.store import open_store
from liqueue.outbox import Outbox

store = open_store(sys.argv[1])
time.sleep(float(sys.argv[2]))
spec = JobSpec(source_name="woken", origin=Location("x"), body="x")
store.enqueue(Outbox(jobs=[spec]), time.time())
print(time.time(), flush=True)
store.close()
"""

OPEN_AND_ENQUEUE = """
import sys, time
from liqueue.errors import Location
from liqueue.jobs import JobSpec
from liqueue.store import open_store
from liqueue.outbox import Outbox

url, count = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
store = open_store(url)  # a fresh SQLite file: every child migrates it at once
for n in range(count):
    spec = JobSpec(source_name="opened", origin=Location("x"), body="x")
    store.enqueue(Outbox(jobs=[spec]), time.time())
store.close()
print("done", flush=True)
"""

LISTENER = """
import sys, time
from liqueue.store import open_store

store = open_store(sys.argv[1])
listener = store.wake_listener()
print("ready", flush=True)
woken = listener.wait(float(sys.argv[2]))
print(f"{woken} {time.time()}", flush=True)
listener.close()
store.close()
"""


def claimed_ids(output: str) -> list[str]:
    ids: list[str] = json.loads(output.splitlines()[-1])
    return ids
