from __future__ import annotations

import itertools
import random
from collections import Counter

from liqueue.jobs import Backoff, Priority
from liqueue.worker.weights import PriorityRotation


def test_backoff_follows_the_seed_schedule_without_jitter() -> None:
    backoff = Backoff(jitter=0)
    assert [backoff.delay_before(n) for n in (1, 2, 3, 4, 5, 6)] == [0, 5, 30, 120, 600, 600]


def test_backoff_jitter_stays_within_its_fraction() -> None:
    backoff = Backoff(jitter=0.1)
    rng = random.Random(7)
    waits = [backoff.delay_before(3, rng) for _ in range(500)]
    assert min(waits) >= 27 and max(waits) <= 33
    assert len({round(w, 3) for w in waits}) > 100  # really spread, not constant


def test_rotation_shares_first_place_by_weight_and_interleaves() -> None:
    rotation = PriorityRotation({Priority.HIGH: 6, Priority.DEFAULT: 3, Priority.LOW: 1})
    orders = [rotation.next_order() for _ in range(100)]
    firsts = Counter(order[0] for order in orders)
    assert firsts == {"high": 60, "default": 30, "low": 10}
    # low goes first once in every 10 claims, not in a burst at the end
    low_positions = [i for i, order in enumerate(orders) if order[0] == "low"]
    assert all(b - a == 10 for a, b in itertools.pairwise(low_positions))
    # every order still tries all three, so a claim never comes back empty needlessly
    assert all(sorted(order) == ["default", "high", "low"] for order in orders)
