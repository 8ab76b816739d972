"""Batch job parameters (a shared context encoded once) match one spec at a time exactly;
arguments a tag wrote as JSON go in as written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from liqueue.config import AppConfig
from liqueue.errors import Location
from liqueue.jobs import JobOptions, JobSpec
from liqueue.liquid import Runtime
from liqueue.outbox import Outbox
from liqueue.store import Store, columns, rows
from liqueue.store.sqlite.store import SQLiteStore

from .factories import T0


def test_batch_params_equal_params_of_each_spec() -> None:
    shared = {"constants": {"a": "é"}, "environment": "test", "location": {"path": "/"}}
    specs = [
        JobSpec(
            source_name=f"s{n}",
            origin=Location("app/views/pages/x.liquid", n, 3),
            body="{{ n }}" if n % 2 else None,
            partial=None if n % 2 else "jobs/p",
            arguments={"n": n, "text": "ü\u2028", "list": [1, None, True]},
            priority=("high", "default", "low")[n % 3],
            max_attempts=n + 1,
            delay_minutes=n / 10,
            context=shared if n < 4 else {"other": n},
            event_id=None if n % 2 else f"e{n}",
        )
        for n in range(6)
    ]
    assert rows.job_params(specs, 1_800_000_000.0) == [
        rows.job_params([spec], 1_800_000_000.0)[0] for spec in specs
    ]


def _tagged(arguments: dict[str, object], arguments_json: str) -> JobSpec:
    """A job as a tag makes it, with the arguments' JSON it wrote."""
    return JobSpec.from_options(
        JobOptions(),
        default_name="s",
        origin=Location("p"),
        body="",
        arguments=arguments,
        context={},
        arguments_json=arguments_json,
    )


_ARGUMENTS = columns.JOB_INSERT.index("arguments")


def test_arguments_written_by_a_tag_are_the_parameter_as_they_are() -> None:
    arguments = {"n": 1, "text": "ü\u2028", "list": [1.5, None, {"k": True}]}
    written = _tagged(arguments, rows.dumps(arguments))
    encoded = dataclasses.replace(written)  # the same job, without the text
    assert encoded.arguments_json is None
    assert rows.job_params([written], 5.0) == rows.job_params([encoded], 5.0)
    assert rows.job_params([written], 5.0)[0][_ARGUMENTS] == (
        '{"n":1,"text":"ü\u2028","list":[1.5,null,{"k":true}]}'
    )
    # The text given is what goes in: job_params does not encode again.
    odd = _tagged(arguments, '{"as":"given"}')
    assert rows.job_params([odd], 5.0)[0][_ARGUMENTS] == '{"as":"given"}'


def test_an_unknown_priority_is_refused_naming_it() -> None:
    odd = JobSpec(source_name="s", origin=Location("p"), body="", priority="urgent")
    with pytest.raises(ValueError, match="unknown priority 'urgent'"):
        rows.job_params([odd], 0.0)


def test_jobs_rendered_by_tags_store_their_arguments(store: Store, tmp_path: Path) -> None:
    pages = tmp_path / "app" / "views" / "pages"
    pages.mkdir(parents=True)
    (pages / "index.liquid").write_text(
        "{% for i in (1..3) %}{% background source_name: 'tagged', i: i, v: v %}"
        "{% endbackground %}{% endfor %}"
    )
    value = {"é": ["ü", 1e-300, 10**20, None, {"": False}]}
    specs = Runtime(tmp_path, AppConfig()).render("index", {"v": value}).outbox.jobs
    assert all(spec.arguments_json is not None for spec in specs)
    store.enqueue(Outbox(jobs=specs), T0)
    for n, spec in enumerate(specs, start=1):
        assert store.get_job(spec.id).arguments == {"i": n, "v": value}
    if isinstance(store, SQLiteStore):
        with store._tx.lock:
            stored = dict(store._tx.db.execute("SELECT id, arguments FROM jobs").fetchall())
        assert stored == {spec.id: spec.arguments_json for spec in specs}
