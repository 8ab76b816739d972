"""The parts that run attempts, built from an App the same way for a worker and `drain`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from liqueue.app import App
from liqueue.worker.runner import AttemptRunner
from liqueue.worker.weights import PriorityRotation


@dataclass(frozen=True)
class AttemptParts:
    runner: AttemptRunner
    rotation: PriorityRotation
    time_limits: Mapping[str, float]  # seconds, by priority name


def attempt_parts(app: App) -> AttemptParts:
    priorities = app.config.priorities
    return AttemptParts(
        runner=AttemptRunner(app.runtime, app.clock, app.config.backoff, app.fanout),
        rotation=PriorityRotation({name: p.weight for name, p in priorities.items()}),
        time_limits={name: p.time_limit for name, p in priorities.items()},
    )
