"""PostgreSQL's histogram bucket functions, rewritten by migration 0013 so the
planner inlines them: every duration lands in the bucket it did before, and
the triggers' queries no longer call a function per attempt line."""

from __future__ import annotations

import psycopg
import pytest

from liqueue.store import shared
from liqueue.store.postgres.schema import MIGRATIONS, SQL

# Every duration up to past the last bounds (60,000 and 300,000 ms), each side
# of every bound, NULL, and the ends of integer.
DURATIONS = """
SELECT ms FROM generate_series(-3, 310000) AS ms
UNION ALL SELECT NULL UNION ALL SELECT -2147483648 UNION ALL SELECT 2147483647
"""
BUCKETS = f"""
SELECT ms, liqueue_bucket_ms(ms), liqueue_minute_bucket_ms(ms)
FROM ({DURATIONS}) AS durations(ms)
ORDER BY ms NULLS FIRST
"""


def test_migration_0013_keeps_every_bucket(postgres_schema_url: str) -> None:
    before_0013 = [m for m in MIGRATIONS if m.version < 13]
    with psycopg.connect(postgres_schema_url) as conn:
        shared.migrate(conn, SQL, before_0013, postgres_schema_url, conn.execute)
        before = conn.execute(BUCKETS).fetchall()
        shared.migrate(conn, SQL, MIGRATIONS, postgres_schema_url, conn.execute)
        after = conn.execute(BUCKETS).fetchall()
    assert len(after) == 310_007
    assert after == before
    # A few by hand, so the comparison cannot pass on two equally wrong forms.
    by_ms = {row[0]: row[1:] for row in after}
    assert by_ms[None] == (5, 0)
    assert by_ms[0] == (5, 1)
    assert by_ms[5] == (5, 5) and by_ms[6] == (10, 7)
    assert by_ms[60000] == (60000, 60000) and by_ms[60001] == (-1, 120000)
    assert by_ms[300000] == (-1, 300000) and by_ms[300001] == (-1, -1)


@pytest.mark.usefixtures("pg_store")
def test_the_bucket_functions_are_inlined(postgres_schema_url: str) -> None:
    with psycopg.connect(postgres_schema_url) as conn:
        plan = "\n".join(
            str(row[0])
            for row in conn.execute(
                "EXPLAIN (VERBOSE) SELECT liqueue_bucket_ms(duration_ms),"
                " liqueue_minute_bucket_ms(duration_ms) FROM logs"
            )
        )
    assert "width_bucket" in plan, plan
    assert "liqueue_bucket_ms" not in plan and "liqueue_minute_bucket_ms" not in plan, plan
