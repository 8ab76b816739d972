"""Paused priorities and source_names: the one table every worker's claim reads.

A paused target's jobs stay where they are (scheduled or retry) and are not
claimed until it is resumed; nothing is lost. The claim and next_run_at SQL
of both backends skip them; this module names targets and reads the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from liqueue.jobs import Priority

PauseKind = Literal["priority", "source_name"]
KINDS: tuple[PauseKind, ...] = ("priority", "source_name")


@dataclass(frozen=True)
class PauseTarget:
    """What a pause holds back: a priority (by name) or a source_name."""

    kind: PauseKind
    name: str

    @classmethod
    def parse(cls, kind: str, name: str) -> PauseTarget:
        """From user input; ValueError with a one-line reason when it names nothing."""
        name = name.strip()
        if kind == "priority":
            if Priority.named(name) is None:
                raise ValueError(f"unknown priority {name!r}: use high, default or low")
            return cls("priority", name)
        if kind == "source_name":
            if not name:
                raise ValueError("no source_name given")
            return cls("source_name", name)
        raise ValueError(f"cannot pause {kind!r}: pause a priority or a source_name")

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.name}"

    def params(self, paused_at: float, paused_by: str | None) -> dict[str, Any]:
        priority = Priority.named(self.name) if self.kind == "priority" else None
        return {
            "target": self.key,
            "priority": None if priority is None else priority.rank,
            "source_name": self.name if self.kind == "source_name" else None,
            "paused_at": paused_at,
            "paused_by": paused_by,
        }


@dataclass(frozen=True)
class Pause:
    target: PauseTarget
    paused_at: float
    paused_by: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.target.kind,
            "name": self.target.name,
            "paused_at": self.paused_at,
            "paused_by": self.paused_by,
        }


def pause_from_row(row: Sequence[Any]) -> Pause:
    _, priority, source_name, paused_at, paused_by = row
    if priority is not None:
        target = PauseTarget("priority", Priority.of_rank(int(priority)).value)
    else:
        target = PauseTarget("source_name", str(source_name))
    return Pause(target, float(paused_at), paused_by)


def pauses_from_rows(rows: Sequence[Sequence[Any]]) -> list[Pause]:
    return [pause_from_row(row) for row in rows]


def target_params(target: PauseTarget) -> Mapping[str, Any]:
    return {"target": target.key}
