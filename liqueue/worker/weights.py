"""Which priority a claim tries first: smooth weighted round robin.

With weights high 6, default 3, low 1, every 10 claims try high first 6
times, default 3 times and low once, interleaved (H D H L H D H H D H).
Whichever priority is tried first, the others follow in their natural
order, so no claim comes back empty while anything is due, and low jobs
keep moving under a flood of high ones.
"""

from __future__ import annotations

from collections.abc import Mapping

from liqueue.jobs import Priority


class PriorityRotation:
    def __init__(self, weights: Mapping[Priority, int]) -> None:
        self._weights = {priority: weights[priority] for priority in Priority}
        self._total = sum(self._weights.values())
        self._current = dict.fromkeys(Priority, 0)

    def next_order(self) -> list[Priority]:
        for priority, weight in self._weights.items():
            self._current[priority] += weight
        first = max(Priority, key=lambda priority: self._current[priority])
        self._current[first] -= self._total
        return [first, *(priority for priority in Priority if priority != first)]
