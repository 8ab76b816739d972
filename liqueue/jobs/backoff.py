"""How long a failed job waits before its next attempt."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

# Seconds to wait before attempts 2, 3, 4 and 5: the seed's approximate schedule.
DEFAULT_SCHEDULE: tuple[float, ...] = (5.0, 30.0, 120.0, 600.0)


@dataclass(frozen=True)
class Backoff:
    schedule: Sequence[float] = DEFAULT_SCHEDULE
    jitter: float = 0.1  # +/- this fraction, so retries of one outage do not stampede

    def delay_before(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before `attempt` (2 for the first retry)."""
        if attempt < 2:
            return 0.0
        index = min(attempt - 2, len(self.schedule) - 1)
        base = self.schedule[index]
        if not self.jitter:
            return base
        spread = (rng or random).uniform(-self.jitter, self.jitter)
        return max(0.0, base * (1.0 + spread))
