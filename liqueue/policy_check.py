"""What `liqueue check` says about schedules and source policies (liqueue/policies.py).

Cron expressions, time zones and option values are refused when the
configuration loads; here, what needs the application's files: that each
schedule's partial exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from liqueue.errors import Location
from liqueue.liquid.problems import Problem
from liqueue.policies import Policies


def check_policies(
    root: Path, policies: Policies, partial_candidates: Callable[[str], Sequence[str]]
) -> list[Problem]:
    problems: list[Problem] = []
    for schedule in policies.schedules:
        candidates = list(partial_candidates(schedule.partial))
        if not any((root / candidate).is_file() for candidate in candidates):
            where = Location(schedule.file, _line_of(root / schedule.file, schedule.name))
            looked = ", ".join(candidates) or "nowhere: not a valid partial name"
            problems.append(
                Problem(
                    where,
                    f"schedule {schedule.name!r}: partial {schedule.partial!r} not found "
                    f"(looked in {looked})",
                    "error",
                )
            )
    return problems


def _line_of(path: Path, name: str) -> int:
    """The line where a schedule's name is a key, or 0 when it cannot be told."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError:
        return 0
    pattern = re.compile(rf"^\s*['\"]?{re.escape(name)}['\"]?\s*:")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 0
