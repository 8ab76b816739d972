"""`JobSpec.from_options` makes what `JobSpec(...)` makes; job ids stay unique and ordered
across threads and forked processes."""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
import uuid

import pytest

from liqueue.errors import Location
from liqueue.jobs import JobOptions, JobSpec, Priority, new_job_id

ORIGIN = Location("app/views/pages/x.liquid", 3, 5)


def test_from_options_makes_the_spec_the_dataclass_makes() -> None:
    options = JobOptions(priority=Priority.HIGH, max_attempts=4, delay=1.5, source_name="mail")
    made = JobSpec.from_options(
        options,
        default_name="pages/x:3",
        origin=ORIGIN,
        body="{{ a }}",
        arguments={"a": 1},
        context={"c": 2},
        arguments_json='{"a":1}',
    )
    built = JobSpec(
        source_name="mail",
        origin=ORIGIN,
        body="{{ a }}",
        arguments={"a": 1},
        priority=Priority.HIGH,
        max_attempts=4,
        delay_minutes=1.5,
        context={"c": 2},
        id=made.id,
    )
    assert made == built
    names = [f.name for f in dataclasses.fields(JobSpec)]
    assert list(vars(made)) == [*names, "arguments_json"]  # in the dataclass's order
    assert [getattr(made, n) for n in names] == [getattr(built, n) for n in names]
    assert (made.arguments_json, built.arguments_json) == ('{"a":1}', None)
    assert dataclasses.asdict(made) == dataclasses.asdict(built)
    assert repr(made) == repr(built)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.source_name = "other"  # type: ignore[misc]
    unnamed = JobSpec.from_options(
        JobOptions(), default_name="pages/x:3", origin=ORIGIN, partial="p", arguments={}, context={}
    )
    assert (unnamed.source_name, unnamed.priority, unnamed.arguments_json) == (
        "pages/x:3",
        "default",
        None,
    )
    assert list(vars(unnamed)) == names
    # Filled key by key, its __dict__ shares the class's keys as __init__'s does.
    assert sys.getsizeof(vars(unnamed)) == sys.getsizeof(vars(built))
    assert unnamed.id != made.id


def test_from_options_needs_exactly_one_of_body_and_partial() -> None:
    for body, partial in ((None, None), ("b", "p")):
        with pytest.raises(ValueError, match="exactly one of body and partial"):
            JobSpec.from_options(
                JobOptions(),
                default_name="x",
                origin=ORIGIN,
                body=body,
                partial=partial,
                arguments={},
                context={},
            )


def test_a_copy_goes_without_the_arguments_text() -> None:
    # replace() may change the arguments: the store then encodes them itself.
    written = JobSpec.from_options(
        JobOptions(),
        default_name="s",
        origin=ORIGIN,
        body="",
        arguments={"a": 1},
        context={},
        arguments_json='{"a":1}',
    )
    for copy in (
        dataclasses.replace(written, unique_key="k"),
        dataclasses.replace(written, arguments={"a": 2}),
    ):
        assert copy.arguments_json is None
    assert dataclasses.replace(written, unique_key="k").arguments == {"a": 1}


def test_ids_of_many_threads_are_unique_and_each_threads_are_ordered() -> None:
    made: list[list[str]] = [[] for _ in range(4)]

    def make(into: list[str]) -> None:
        into.extend(new_job_id() for _ in range(5000))

    threads = [threading.Thread(target=make, args=(into,)) for into in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [job_id for ids in made for job_id in ids]
    assert len(set(every)) == len(every) == 20_000
    for ids in made:
        assert ids == sorted(ids)
        assert {uuid.UUID(i).version for i in ids} == {7}
        assert {uuid.UUID(i).variant for i in ids} == {uuid.RFC_4122}


def _random_bits(job_id: str) -> int:
    return uuid.UUID(job_id).int & ((1 << 62) - 1)  # rand_b


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_draws_other_random_bits_than_its_parent() -> None:
    new_job_id()  # the parent has random numbers drawn and waiting
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its ids to the pipe, then out without pytest's teardown
        try:
            os.close(reader)
            os.write(writer, "\n".join(new_job_id() for _ in range(100)).encode())
        finally:
            os._exit(0)
    os.close(writer)
    parent_ids = [new_job_id() for _ in range(100)]
    with os.fdopen(reader, "rb") as pipe:
        child_ids = pipe.read().decode().split("\n")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert len(child_ids) == 100
    assert not set(child_ids) & set(parent_ids)
    # Without the fork hook both would hand out the same numbers left over.
    assert not {_random_bits(i) for i in child_ids} & {_random_bits(i) for i in parent_ids}
    assert {uuid.UUID(i).version for i in child_ids} == {7}
