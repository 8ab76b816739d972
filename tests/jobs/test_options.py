from __future__ import annotations

import pytest

from liqueue.jobs import (
    validate_delay,
    validate_max_attempts,
    validate_priority,
    validate_source_name,
)


@pytest.mark.parametrize(("raw", "expected"), [(None, "default"), ("high", "high"), ("low", "low")])
def test_priority(raw: object, expected: str) -> None:
    assert validate_priority(raw) == expected


@pytest.mark.parametrize("raw", ["urgent", "HIGH", 1, ""])
def test_priority_rejects(raw: object) -> None:
    with pytest.raises(ValueError, match="priority must be one of 'high', 'default', 'low'"):
        validate_priority(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, 1), (0, 1), (1, 1), (3, 3), (5, 5), ("4", 4), (2.0, 2)]
)
def test_max_attempts(raw: object, expected: int) -> None:
    assert validate_max_attempts(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (9, "at most 5"),
        (6, "at most 5"),
        (-1, "must not be negative"),
        (2.5, "whole number"),
        ("three", "whole number"),
        (True, "whole number"),
        ([1], "whole number"),
    ],
)
def test_max_attempts_rejects(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_max_attempts(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, 0.0), (0, 0.0), (1, 1.0), (0.016, 0.016), ("1440", 1440.0)]
)
def test_delay(raw: object, expected: float) -> None:
    assert validate_delay(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [(-1, "must not be negative"), ("soon", "number of minutes"), (float("nan"), "finite")],
)
def test_delay_rejects(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_delay(raw)


def test_source_name() -> None:
    assert validate_source_name(None) is None
    assert validate_source_name(" send_email ") == "send_email"
    assert validate_source_name(42) == "42"
    with pytest.raises(ValueError, match="must not be empty"):
        validate_source_name("  ")
    with pytest.raises(ValueError, match="must be a string"):
        validate_source_name({"a": 1})


def test_job_ids_are_uuid7_and_sort_in_creation_order() -> None:
    import uuid

    from liqueue.jobs import new_job_id

    ids = [new_job_id() for _ in range(10_000)]  # many share a millisecond
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    parsed = uuid.UUID(ids[0])
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122


def test_delay_has_a_ceiling_so_run_at_stays_a_time() -> None:
    assert validate_delay(52_560_000) == 52_560_000.0
    with pytest.raises(ValueError, match="at most 52,560,000 minutes"):
        validate_delay(1e307)
