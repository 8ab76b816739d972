"""Unique jobs raced by real processes: renders that all found no holder hand out their
own ids, the unique index keeps one job, and every id handed out names that job.

The test holds back every insert (SQLite: the write lock; PostgreSQL: a SHARE lock
on jobs, which lets the renders' holder checks read) until the renders have
checked, so the losers are refused at insert, not at render.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from liqueue.app import App
from liqueue.cli import cli
from liqueue.errors import Location, NotFound
from liqueue.jobs import JobSpec
from liqueue.outbox import Outbox
from liqueue.store import Store, open_store
from liqueue.store.base import JobQuery, LogQuery
from tests.postgres.test_first_contact import one_error_line
from tests.processes import finish, liqueue_cli, release, start_program, start_ready
from tests.schedules.test_unique_jobs import CONFIG, _app

PROCESSES = 5
RENDERS_EACH = 5  # 25 concurrent renders in all: 25 connections on PostgreSQL

# Each child opens its apps (own connections, schema checked), says ready, then on
# a line from stdin renders the page from every app at once and prints the ids.
CHILD = """
import json, sys, threading
from liqueue.app import App
root, db, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
apps = [App(root, database_url=db) for _ in range(count)]
for app in apps:
    app.runtime
    app.store.unique_holder("warm-up", 0.0)
print("ready", flush=True)
sys.stdin.readline()
outputs = [""] * count
def render(n):
    outputs[n] = apps[n].render("index", {"user": 7}).output.strip()
threads = [threading.Thread(target=render, args=(n,)) for n in range(count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps(outputs), flush=True)
"""


@contextmanager
def inserts_held(db: str) -> Iterator[None]:
    """Inserts into jobs wait while this is open; reads go on."""
    if db.startswith("sqlite:///"):
        conn = sqlite3.connect(db.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    with psycopg.connect(db) as pg, pg.transaction():
        pg.execute("LOCK TABLE jobs IN SHARE MODE")
        yield


def wait_for_blocked_inserts(db: str, count: int) -> None:
    """PostgreSQL shows who waits on the lock; SQLite's busy handler does not: there
    the renders get a moment (each checks within milliseconds of its start)."""
    if db.startswith("sqlite:///"):
        time.sleep(1.5)
        return
    deadline = time.monotonic() + 60
    with psycopg.connect(db, autocommit=True) as pg:
        while True:
            row = pg.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
            if row is not None and row[0] >= count:
                return
            assert time.monotonic() < deadline, f"only {row} renders wait on the insert lock"
            time.sleep(0.05)


def _resolves_to(store: Store, job_id: str) -> str:
    return store.get_job(job_id).id


def test_renders_in_five_processes_hand_out_ids_of_one_job(tmp_path: Path, db: str) -> None:
    root = _app(tmp_path / "app")
    children = start_ready(CHILD, [(str(root), db, str(RENDERS_EACH)) for _ in range(PROCESSES)])
    with inserts_held(db):
        release(children)
        wait_for_blocked_inserts(db, PROCESSES * RENDERS_EACH)
    outputs = [job_id for child in children for job_id in json.loads(finish(child))]
    assert len(outputs) == PROCESSES * RENDERS_EACH

    store = open_store(db)
    try:
        (job,) = store.list_jobs(JobQuery(source_name="send_digest"))
        raced = [job_id for job_id in outputs if job_id != job.id]
        # The renders found no holder (the inserts waited): most ids are the losers' own.
        assert raced, "no render lost the race at insert: the test did not race"
        if not db.startswith("sqlite:///"):
            assert len(raced) == len(outputs) - 1  # every render checked before any insert
        assert {_resolves_to(store, job_id) for job_id in outputs} == {job.id}
        assert store.unique_refusals() == {"send_digest": len(outputs) - 1}
        lines = store.read_logs(LogQuery(type="unique"))
        assert {line.job_id for line in lines} == {job.id}
    finally:
        store.close()

    runner = CliRunner()
    for job_id in set(outputs):
        shown = runner.invoke(cli, ["jobs", "show", str(root), job_id, "--db", db, "--json"])
        assert shown.exit_code == 0, shown.output
        data = json.loads(shown.output)
        assert data["job"]["id"] == job.id
        assert data["duplicate_id"] == (None if job_id == job.id else job_id)
    # And the real console script, for one loser's id.
    result = liqueue_cli("jobs", "show", str(root), raced[0], "--db", db)
    assert result.returncode == 0, result.stderr
    assert job.id in result.stdout
    assert f"{raced[0]}: a duplicate's id (not queued: this job holds its unique key)" in (
        result.stdout
    )


def test_liqueue_render_says_a_raced_job_was_not_queued(tmp_path: Path, pg_url: str) -> None:
    """Real `liqueue render` processes (PostgreSQL: SQLite's renders would open, and
    migrate, their store under the held write lock, before any check)."""
    root = _app(tmp_path / "app")
    with inserts_held(pg_url):
        renders = [
            start_program(
                "from liqueue.cli import cli; cli()",
                *["render", str(root), "index", "-p", "user=9", "--db", pg_url],
            )
            for _ in range(3)
        ]
        wait_for_blocked_inserts(pg_url, 3)
    said = [(render.communicate(timeout=60), render.returncode) for render in renders]
    assert all(code == 0 for _, code in said), said
    ids = [out.strip() for (out, _), _ in said]
    store = open_store(pg_url)
    try:
        (job,) = store.list_jobs(JobQuery(source_name="send_digest"))
    finally:
        store.close()
    losers = [n for n, job_id in enumerate(ids) if job_id != job.id]
    assert len(losers) == 2
    for n in losers:
        err = said[n][0][1]
        assert f"job {ids[n]} send_digest not queued: job {job.id} holds its unique key" in err
        assert "queued job" not in err
    winner = next(n for n in range(3) if n not in losers)
    assert f"queued job {job.id} send_digest" in said[winner][0][1]


def test_an_alias_goes_with_its_job(tmp_path: Path, db: str) -> None:
    """Deleting or pruning the holder deletes the ids that named it."""
    root = _app(tmp_path / "app")
    with App(root, database_url=db) as app:
        holder = app.render("index", {"user": 1}).output.strip()
        pruned = app.render("index", {"user": 2}).output.strip()
        job = app.store.get_job(holder)
        # What a raced render's outbox carries: a second job with the holder's key.
        spec = app.policies.stamp(_spec_like(job.source_name, {"user_id": 1}))
        other = app.policies.stamp(_spec_like(job.source_name, {"user_id": 2}))
        app.enqueue(Outbox(jobs=[spec, other]))
        assert app.store.get_job(spec.id).id == holder
        assert app.store.get_job(spec.id[:30]).id == holder  # a prefix of the alias
        assert app.store.get_job(other.id).id == pruned
        assert _aliases(db) == 2
        app.store.delete_job(holder)
        with pytest.raises(NotFound):
            app.store.get_job(spec.id)
        assert _aliases(db) == 1
        now = app.clock.now()
        app.store.cancel_job(pruned, now)
        assert app.store.prune(done_before=now + 1, dead_before=now + 1) == 1
        assert _aliases(db) == 0


def _spec_like(source: str, arguments: dict[str, object]) -> JobSpec:
    return JobSpec(source_name=source, origin=Location("test"), partial=source, arguments=arguments)


def _aliases(db: str) -> int:
    sql = "SELECT count(*) FROM job_aliases"
    if db.startswith("sqlite:///"):
        with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
            return int(conn.execute(sql).fetchone()[0])
    with psycopg.connect(db) as pg:
        row = pg.execute(sql).fetchone()
        return int(row[0]) if row else 0


def test_policy_operations_on_an_unmigrated_database_name_the_migrate_command(
    tmp_path: Path, fresh_database: str
) -> None:
    """The first store operation of these commands is a policy one (unique_holder,
    last_ticks): it checks the schema like every other."""
    root = _app(tmp_path / "app")
    config = CONFIG + 'schedules:\n  nightly:\n    partial: send_digest\n    cron: "0 3 * * *"\n'
    (root / "liqueue.yml").write_text(config)
    for command in (["render", str(root), "index", "-p", "user=1"], ["schedules", str(root)]):
        line = one_error_line(liqueue_cli(*command, "--db", fresh_database))
        assert "no liqueue schema yet" in line
        assert f"run `liqueue migrate {root} --db {fresh_database}`" in line


def test_equal_jobs_in_one_enqueue_keep_one_and_name_it(tmp_path: Path, db: str) -> None:
    """`liqueue serve` commits concurrent requests' outboxes together: two renders'
    equal unique jobs can meet in one insert."""
    with App(_app(tmp_path / "app"), database_url=db) as app:
        first, second = (
            app.policies.stamp(_spec_like("send_digest", {"user_id": 3})) for _ in range(2)
        )
        app.enqueue(Outbox(jobs=[first, second]))
        assert [job.id for job in app.store.list_jobs(JobQuery())] == [first.id]
        assert app.store.get_job(second.id).id == first.id
        assert app.store.unique_refusals() == {"send_digest": 1}
