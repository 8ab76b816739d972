"""Within `AppLoader.reusing_checks` (a worker's jobs), includes trust recent lookups."""

from __future__ import annotations

import time

import pytest

from liqueue.liquid.loader import AppLoader
from liqueue.liquid.runtime import JobRenderFailed

from .liquid_apps import AppDir, job_from


def test_a_recent_lookup_is_reused_and_an_edit_is_seen_after_the_window(app: AppDir) -> None:
    app.partial("greeting", "hello")
    runtime = app.runtime()
    loader = runtime.loader
    assert isinstance(loader, AppLoader)
    with loader.reusing_checks(0.3):
        first = loader.load_path(runtime.env, loader.find_partial("greeting"))
        app.partial("greeting", "hello again, longer")
        assert loader.load_path(runtime.env, loader.find_partial("greeting")) is first
        time.sleep(0.35)
        edited = loader.load_path(runtime.env, loader.find_partial("greeting"))
    assert edited is not first
    assert edited.render() == "hello again, longer"


def test_outside_the_block_every_load_checks_the_file(app: AppDir) -> None:
    app.partial("greeting", "hello")
    runtime = app.runtime()
    assert (
        runtime.loader.load_path(runtime.env, "app/views/partials/greeting.liquid").render()
        == "hello"
    )
    app.partial("greeting", "hello again, longer")
    assert (
        runtime.loader.load_path(runtime.env, "app/views/partials/greeting.liquid").render()
        == "hello again, longer"
    )


def test_a_failed_attempt_makes_the_next_one_look_at_the_files(app: AppDir) -> None:
    # Fixing the partial and retrying the job at once must not meet the broken one.
    app.partial("charge", "{{ 1 | no_such_filter }}")
    app.page(
        "index",
        "{% background source_name: 'charge_card' %}{% render 'charge' %}{% endbackground %}",
    )
    runtime = app.runtime()
    [spec] = runtime.render("index").outbox.jobs
    job = job_from(spec)
    with pytest.raises(JobRenderFailed):
        runtime.attempt_job(job)
    app.partial("charge", "charged")
    assert runtime.attempt_job(job).output == "charged"
