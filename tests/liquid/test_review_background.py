"""Review findings on the background tag."""

from __future__ import annotations

import pytest

from liqueue.errors import JobOptionError

from .liquid_apps import AppDir, job_from


def test_arguments_over_100_kb_queue_the_job_with_a_warning(app: AppDir) -> None:
    # The platform advises keeping arguments under ~100 KB and passing ids.
    app.page(
        "index",
        "{% assign big = 'x' | append: '' %}"
        "{% for i in (1..11000) %}{% assign big = big | append: 'xxxxxxxxxx' %}{% endfor %}\n"
        "{% background source_name: 'big_job', data: big, id: 7 %}{{ data | size }}"
        "{% endbackground %}"
        "{% background source_name: 'small_job', id: 7 %}{{ id }}{% endbackground %}",
    )
    runtime = app.runtime()
    result = runtime.render("index")
    big, small = result.outbox.jobs
    [warning] = result.outbox.logs
    assert warning.type == "warning"
    assert "big_job" in warning.message and "110 KB" in warning.message
    assert "100 KB" in warning.message
    assert warning.location == "app/views/pages/index.liquid:2"
    assert runtime.run_job(job_from(big)).output == "110001"
    assert runtime.run_job(job_from(small)).output == "7"


def test_jobs_and_events_of_a_function_partial_are_queued_with_the_callers(
    app: AppDir,
) -> None:
    # platformOS runs a `function` partial for its side effects too (commands
    # are functions): what it queues belongs to the render that called it, and
    # a failed call inside `try` takes its jobs with it.
    app.partial(
        "commands/notify",
        "{% background source_name: 'notify_user', id: id %}{{ id }}{% endbackground %}"
        "{% if id == 2 %}{{ 1 | divided_by: 0 }}{% endif %}{% return id %}",
    )
    app.page(
        "index",
        "{% function a = 'commands/notify', id: 1 %}"
        "{% try %}{% function b = 'commands/notify', id: 2 %}{% catch e %}{% endtry %}{{ a }}",
    )
    runtime = app.runtime()
    result = runtime.render("index")
    assert result.output == "1"
    [job] = result.outbox.jobs
    assert job.arguments == {"id": 1}
    assert job.origin.path == "app/views/partials/commands/notify.liquid"
    assert runtime.run_job(job_from(job)).output == "1"


def test_a_source_name_spanning_lines_is_refused(app: AppDir) -> None:
    # Attempt lines are one line each (`grep FAILED | grep send_email`); a
    # newline in a computed source name would split them.
    app.page(
        "index",
        "{% capture name %}send\nemail{% endcapture %}"
        "{% background source_name: name %}x{% endbackground %}",
    )
    with pytest.raises(JobOptionError, match="source_name"):
        app.runtime().render("index")
