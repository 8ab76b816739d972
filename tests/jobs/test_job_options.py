"""`validate_job_options`: the four options validated into one `JobOptions`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from liqueue.errors import Location
from liqueue.jobs import JobOptionInvalid, JobOptions, JobSpec, validate_job_options


def test_pairs_become_typed_options() -> None:
    options = validate_job_options(
        [("delay", "1.5"), ("priority", "high"), ("max_attempts", 3), ("source_name", " a_b ")]
    )
    assert options == JobOptions(priority="high", max_attempts=3, delay=1.5, source_name="a_b")


def test_left_out_keeps_the_defaults_given_and_none_gets_the_platform_default() -> None:
    defaults = JobOptions(max_attempts=5, delay=2.0)
    assert validate_job_options([("delay", None)], defaults) == JobOptions(max_attempts=5)
    assert validate_job_options([], defaults) == defaults
    assert validate_job_options([("max_attempts", None)], defaults).max_attempts == 1


def test_the_first_wrong_option_is_named_and_later_values_are_never_read() -> None:
    read: list[str] = []

    def pairs() -> Iterator[tuple[str, object]]:
        for key, value in [("delay", -1), ("priority", "urgent")]:
            read.append(key)
            yield key, value

    with pytest.raises(JobOptionInvalid, match="delay must not be negative") as info:
        validate_job_options(pairs())
    assert info.value.key == "delay"
    assert read == ["delay"]


def test_an_unknown_option_is_refused() -> None:
    with pytest.raises(JobOptionInvalid, match="unknown job option 'retries'") as info:
        validate_job_options([("retries", 3)])
    assert info.value.key == "retries"


def test_a_spec_from_options_is_named_by_them_or_by_the_default() -> None:
    origin = Location("app/views/pages/index.liquid", 3, 1)
    options = JobOptions(priority="low", max_attempts=2, delay=0.5)
    spec = JobSpec.from_options(
        options, default_name="index:3", origin=origin, body="x", arguments={"a": 1}, context={}
    )
    assert (spec.source_name, spec.priority, spec.max_attempts, spec.delay_minutes) == (
        "index:3",
        "low",
        2,
        0.5,
    )
    named = JobSpec.from_options(
        JobOptions(source_name="orders_sync"),
        default_name="index:3",
        origin=origin,
        partial="p",
        arguments={},
        context={},
    )
    assert (named.source_name, named.partial, named.body) == ("orders_sync", "p", None)
