"""`Priority`: how urgent a job is, from a tag's `priority:` to the claim order."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Priority(StrEnum):
    """The names authors write; members stand in claim order (high first)."""

    HIGH = "high"
    DEFAULT = "default"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Position in claim order; the store keeps it, so claims index and order by it."""
        return _RANKS[self]

    @classmethod
    def of_rank(cls, rank: int) -> Priority:
        return _BY_RANK[rank]

    @classmethod
    def named(cls, name: object) -> Priority | None:
        """The priority called `name`, or None when there is none of that name."""
        return _BY_NAME.get(name) if isinstance(name, str) else None


# Explicit because the database stores them: reordering members must not renumber rows.
_RANKS: Final = {Priority.HIGH: 0, Priority.DEFAULT: 1, Priority.LOW: 2}
_BY_RANK: Final = {rank: priority for priority, rank in _RANKS.items()}
_BY_NAME: Final = {priority.value: priority for priority in Priority}
