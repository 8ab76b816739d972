"""`filtered`: optional filter lines kept only for the parameters given."""

from __future__ import annotations

from liqueue.store.filters import filtered

SQLITE = "SELECT id FROM jobs\nWHERE TRUE\n  AND state = :state\n  AND source_name = :source_name\nLIMIT :limit"
POSTGRES = "SELECT id FROM logs\nWHERE TRUE\n  AND at >= %(since)s\n  AND type = %(type)s"


def test_lines_of_absent_filters_are_dropped() -> None:
    sql = filtered(SQLITE, {"state": "dead", "source_name": None, "limit": 10})
    assert sql == "SELECT id FROM jobs\nWHERE TRUE\n  AND state = :state\nLIMIT :limit"


def test_postgres_placeholders_are_recognised() -> None:
    sql = filtered(POSTGRES, {"since": None, "type": "attempt"})
    assert sql == "SELECT id FROM logs\nWHERE TRUE\n  AND type = %(type)s"
