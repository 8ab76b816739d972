"""The completion finds its jobs through the primary key (complete_jobs.sql).

Joined on id alone, the planner hashed the outcomes against every running
job, read through jobs_running together with the dead entries of all the
jobs finished since the last vacuum: a drain's completion of 21 jobs read
1,121 index entries and 298 heap pages. Looked up by id, it reads its own
rows whatever else runs or ran.
"""

from __future__ import annotations

import json
from typing import Any

import psycopg

from liqueue.jobs import JobState
from liqueue.store import rows
from liqueue.store.postgres import PostgresStore
from liqueue.store.postgres.batches import outcomes_json
from liqueue.store.postgres.schema import SQL

from .factories import T0, enqueue, outcome, spec


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    found = [plan]
    for child in plan.get("Plans", []):
        found += _nodes(child)
    return found


def test_a_completion_reads_its_jobs_by_id_not_every_running_job(
    pg_store: PostgresStore, postgres_schema_url: str
) -> None:
    ids = enqueue(pg_store, *[spec("many") for _ in range(2000)])
    claimed = pg_store.claim("w", len(ids), T0, 30, ["default"])
    # Most finish: their old row versions stay in jobs_running until a vacuum.
    pg_store.complete([outcome(job.id, worker_id="w") for job in claimed[:1900]], T0 + 1)
    batch = [outcome(job.id, worker_id="w") for job in claimed[1900:1910]]
    params = {"outcomes": outcomes_json(rows.outcome_params(o, T0 + 2) for o in batch)}
    with psycopg.connect(postgres_schema_url) as conn:
        explained = conn.execute(
            f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {SQL['complete_jobs']}", params
        ).fetchone()
        assert explained is not None
        conn.rollback()
    [top] = explained[0] if isinstance(explained[0], list) else json.loads(explained[0])
    nodes = _nodes(top["Plan"])
    assert top["Plan"]["Actual Rows"] == len(batch)
    indexes = {node.get("Index Name") for node in nodes} - {None}
    assert "jobs_pkey" in indexes, indexes
    # Every index entry read is one of the batch's (or its row's running entry).
    read = sum(node["Actual Rows"] for node in nodes if node.get("Index Name") == "jobs_running")
    assert read <= len(batch), (read, indexes)
    assert {pg_store.get_job(o.job_id).state for o in batch} == {JobState.RUNNING}
