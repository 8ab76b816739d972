"""Migration 0014: the indexes by creation time leave running jobs out, so a
claim feeds two indexes instead of five; listings and counts read running jobs
in a branch of their own and must still show every job, newest first."""

from __future__ import annotations

from collections.abc import Callable

import psycopg

from liqueue.jobs import JobState
from liqueue.store import Store, rows, shared
from liqueue.store.base import JobQuery, LogQuery
from liqueue.store.browse import JobFilter, each_page, find_params
from liqueue.store.filters import filtered
from liqueue.store.postgres import PostgresStore
from liqueue.store.postgres.batches import outcomes_json
from liqueue.store.postgres.schema import MIGRATIONS, SQL
from tests.store.factories import T0, enqueue, outcome, spec

# (id, state, source_name, created_at): running jobs between the others in time.
ROWS = [
    ("j1", "done", "mail", T0 + 1),
    ("j2", "running", "mail", T0 + 2),
    ("j3", "scheduled", "sms", T0 + 3),
    ("j4", "running", "sms", T0 + 4),
    ("j5", "dead", "mail", T0 + 5),
    ("j6", "running", "mail", T0 + 6),
    ("j7", "retry", "mail", T0 + 7),
]
NEWEST_FIRST = [row[0] for row in reversed(ROWS)]

INSERT = """
INSERT INTO jobs (id, state, priority, source_name, body, origin_path, max_attempts, attempt,
                  run_at, created_at, started_at, lease_until, worker_id)
VALUES (%s, %s, 1, %s, '', 'app/views/pages/index.liquid', 3, 1, %s, %s, %s, %s, 'w')
"""


def _indexes(conn: psycopg.Connection[tuple[object, ...]]) -> dict[str, str]:
    found = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
    ).fetchall()
    return {str(name): str(definition) for name, definition in found}


def test_0014_upgrades_a_store_with_jobs_and_lists_them_all(
    postgres_schema_url: str, open_url: Callable[[str], Store]
) -> None:
    with psycopg.connect(postgres_schema_url) as conn:
        before_0014 = [m for m in MIGRATIONS if m.version < 14]
        shared.migrate(conn, SQL, before_0014, postgres_schema_url, conn.execute)
        for job_id, state, source_name, created in ROWS:
            started = created if state == "running" else None
            lease = T0 + 100 if state == "running" else None
            conn.execute(INSERT, (job_id, state, source_name, created, created, started, lease))
        conn.execute("INSERT INTO logs (at, type, message) VALUES (%s, 'log', 'kept')", (T0,))
        shared.migrate(conn, SQL, MIGRATIONS, postgres_schema_url, conn.execute)
        indexes = _indexes(conn)
    for name in ("jobs_created", "jobs_state_created", "jobs_source_created"):
        assert indexes[name].endswith("WHERE (state <> 'running'::text)"), indexes[name]
    assert indexes["jobs_running"].endswith("WHERE (state = 'running'::text)")
    assert "jobs_running_created" not in indexes
    assert "(created_at, source_name, lease_until)" in indexes["jobs_running"]
    assert indexes["logs_type_at"].endswith("WHERE (type <> 'attempt'::text)")

    store = open_url(postgres_schema_url)
    assert isinstance(store, PostgresStore)
    assert store.schema_version() == (len(MIGRATIONS), len(MIGRATIONS))
    assert [job.id for job in store.find_jobs(JobFilter(), 50, None)] == NEWEST_FIRST
    # Paging two at a time crosses from running jobs to the others and back.
    pages = list(each_page(store.find_jobs, JobFilter(), size=2))
    assert [job.id for page in pages for job in page] == NEWEST_FIRST
    running = store.find_jobs(JobFilter(state=JobState.RUNNING), 50, None)
    assert [job.id for job in running] == ["j6", "j4", "j2"]
    by_source = store.find_jobs(JobFilter(source_name="mail"), 50, None)
    assert [job.id for job in by_source] == ["j7", "j6", "j5", "j2", "j1"]
    assert [job.id for job in store.list_jobs(JobQuery(limit=4))] == NEWEST_FIRST[:4]
    listed = store.list_jobs(JobQuery(state=JobState.RUNNING, limit=10))
    assert [job.id for job in listed] == ["j6", "j4", "j2"]
    # A window of creation times is not one of the kept counts: counted by a query.
    assert store.count_jobs(JobFilter(since=T0 + 2)) == 6
    assert store.count_jobs(JobFilter(source_name="mail", since=T0 + 2)) == 4
    assert store.count_jobs(JobFilter(state=JobState.RUNNING, since=T0 + 3)) == 2
    assert [entry.message for entry in store.read_logs(LogQuery(type="log"))] == ["kept"]


def _plan(url: str, name: str, params: dict[str, object]) -> str:
    sql = filtered(SQL[name], params)
    with psycopg.connect(url) as conn:
        conn.execute("ANALYZE jobs")
        return "\n".join(str(row[0]) for row in conn.execute(f"EXPLAIN {sql}", params))


def test_running_jobs_are_listed_through_their_indexes(pg_store: PostgresStore) -> None:
    """Running jobs among many others: a page of them, or of a source's, is read
    from jobs_running in time order; a branch that cannot hold the state asked
    for is cut."""
    for batch in range(20):  # 20 renders: 20 creation times
        enqueue(pg_store, *[spec("common") for _ in range(100)], now=T0 + batch)
    assert len(pg_store.claim("w", 150, T0 + 30, 30, ["default"])) == 150
    enqueue(pg_store, *[spec("rare") for _ in range(5)], now=T0 + 40)
    running = _plan(
        pg_store.url, "find_jobs", find_params(JobFilter(state=JobState.RUNNING), 50, None)
    )
    assert "jobs_state_created" not in running, running
    assert "Index Scan Backward using jobs_running" in running, running
    dead = _plan(pg_store.url, "find_jobs", find_params(JobFilter(state=JobState.DEAD), 50, None))
    assert "jobs_state" in dead and "jobs_running" not in dead, dead
    rare = _plan(pg_store.url, "find_jobs", find_params(JobFilter(source_name="rare"), 50, None))
    assert "jobs_source_created" in rare, rare
    assert "Index Scan Backward using jobs_running on" in rare, rare
    listed = pg_store.find_jobs(JobFilter(source_name="common", state=JobState.RUNNING), 500, None)
    assert len(listed) == 150
    assert listed == sorted(listed, key=lambda job: (job.created_at, job.id), reverse=True)


def test_a_completion_looks_its_jobs_up_by_primary_key_on_stale_statistics(
    pg_store: PostgresStore,
) -> None:
    """Statistics taken on an empty table, then a batch queued and claimed (a
    drain right after an enqueue): no index of running jobs holds id, so no
    outcome looks its row up through one (reading it whole, once per job); a
    lookup by id goes through jobs_pkey, or the running jobs are read once."""
    with psycopg.connect(pg_store.url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE jobs")
    enqueue(pg_store, *[spec("common") for _ in range(300)])
    mine = pg_store.claim("w", 300, T0 + 1, 30, ["default"])
    done = [outcome(job.id, worker_id="w") for job in mine]
    batch = {"outcomes": outcomes_json(rows.outcome_params(item, T0 + 2) for item in done)}
    with psycopg.connect(pg_store.url) as conn:
        found = conn.execute("EXPLAIN " + SQL["complete_jobs"], batch).fetchall()
    lines = [str(row[0]) for row in found]
    by_id = [n for n, line in enumerate(lines) if "Index Cond: (id = " in line]
    assert all("jobs_pkey" in lines[n - 1] for n in by_id), "\n".join(lines)
    pg_store.complete(done, T0 + 2)
    assert {pg_store.get_job(job.id).state for job in mine} == {JobState.DONE}
