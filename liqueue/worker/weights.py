"""Which priority a claim tries first: smooth weighted round robin.

With weights high 6, default 3, low 1, every 10 claims try high first 6
times, default 3 times and low once, interleaved (H D H L H D H H D H).
Whichever priority is tried first, the others follow in their natural
order, so no claim comes back empty while anything is due, and low jobs
keep moving under a flood of high ones.
"""

from __future__ import annotations

from collections.abc import Mapping

from liqueue.jobs import PRIORITIES


class PriorityRotation:
    def __init__(self, weights: Mapping[str, int]) -> None:
        self._weights = {name: weights[name] for name in PRIORITIES}
        self._total = sum(self._weights.values())
        self._current = dict.fromkeys(PRIORITIES, 0)

    def next_order(self) -> list[str]:
        for name, weight in self._weights.items():
            self._current[name] += weight
        first = max(PRIORITIES, key=lambda name: self._current[name])
        self._current[first] -= self._total
        return [first, *(name for name in PRIORITIES if name != first)]
