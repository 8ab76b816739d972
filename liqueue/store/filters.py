"""Queries whose WHERE holds only the filters given.

A filter written `(:x IS NULL OR col = :x)` makes one plan for every
combination, and that plan cannot use the index on `col`: at a million rows
`jobs list --state dead` would read them all. The list, log and dashboard
queries (find_jobs, count_matching_jobs) instead write each optional filter
on its own line, `  AND col = :x` (PostgreSQL: `%(x)s`); `filtered` drops the
lines whose parameter is None.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

_OPTIONAL = re.compile(r"^\s+AND\b.*?(?::(\w+)|%\((\w+)\)s)")


def filtered(sql: str, params: Mapping[str, object]) -> str:
    """`sql` without the optional filter lines whose parameter is None in `params`."""
    absent = frozenset(name for name, value in params.items() if value is None)
    return _without(sql, absent)


@lru_cache(maxsize=256)
def _without(sql: str, absent: frozenset[str]) -> str:
    kept = []
    for line in sql.splitlines():
        match = _OPTIONAL.match(line)
        if match is not None and (match.group(1) or match.group(2)) in absent:
            continue
        kept.append(line)
    return "\n".join(kept)
