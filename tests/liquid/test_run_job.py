"""`Runtime.run_job`: a job's body or partial in a fresh context."""

from __future__ import annotations

import pytest

from liqueue.errors import Location, TemplateError
from liqueue.liquid.runtime import JobRenderFailed

from .liquid_apps import AppDir, job_from


def test_body_sees_exactly_arguments_context_and_job(app: AppDir) -> None:
    app.page(
        "index",
        "{% assign page_only = 'p' %}"
        "{% background source_name: 'scoped_job', priority: 'low', max_attempts: 3, a: 1 %}"
        "a={{ a }} page_only={{ page_only }} param={{ name }} params={{ params }} "
        "env={{ context.environment }} path={{ context.location.path }} "
        "job={{ job.source_name }}/{{ job.attempt }}/{{ job.max_attempts }}/{{ job.priority }}"
        "/{{ job.id | size }}{% endbackground %}",
    )
    runtime = app.runtime()
    [spec] = runtime.render("index", {"name": "N"}).outbox.jobs
    output = runtime.run_job(job_from(spec, attempt=2)).output
    assert output == (
        "a=1 page_only= param= params= env=development path=/ job=scoped_job/2/3/low/36"
    )


def test_jobs_may_create_jobs_and_log(app: AppDir) -> None:
    app.page(
        "index",
        "{% background source_name: 'outer_job', n: 1 %}\n"
        "  {% log 'outer ran', type: 'step' %}\n"
        "  {% background source_name: 'inner_job', n: n | plus: 1 %}{{ n }}{% endbackground %}\n"
        "{% endbackground %}",
    )
    runtime = app.runtime()
    [outer] = runtime.render("index").outbox.jobs
    result = runtime.run_job(job_from(outer))
    [inner] = result.outbox.jobs
    assert inner.arguments == {"n": 2}
    assert inner.source_name == "inner_job"
    assert inner.origin == Location("app/views/pages/index.liquid", 3, 60)
    [entry] = result.outbox.logs
    assert (entry.type, entry.message, entry.job_id, entry.source_name) == (
        "step",
        "outer ran",
        outer.id,
        "outer_job",
    )
    assert (entry.attempt, entry.max_attempts, entry.location) == (
        1,
        1,
        "app/views/pages/index.liquid:2",
    )
    assert entry.at == app.clock.now()
    assert runtime.run_job(job_from(inner)).output == "2"


def test_render_error_in_body_points_at_original_file_and_line(app: AppDir) -> None:
    app.page(
        "orders/create",
        "---\ntitle: x\n---\nline 4\n"
        "{% background source_name: 'failing_job' %}\n"
        "  ok\n"
        "  {{ 1 | divided_by: zero }}\n"
        "{% endbackground %}",
    )
    runtime = app.runtime()
    [spec] = runtime.render("orders/create").outbox.jobs
    with pytest.raises(TemplateError) as caught:
        runtime.run_job(job_from(spec))
    assert caught.value.location == Location("app/views/pages/orders/create.liquid", 7, 10)
    assert "divided_by" in caught.value.message


def test_syntax_error_in_stored_body_points_at_original_position(app: AppDir) -> None:
    app.page("index", "{% background source_name: 'x_y' %}ok{% endbackground %}")
    runtime = app.runtime()
    [spec] = runtime.render("index").outbox.jobs
    broken = job_from(spec)
    broken.body = "\n{% if %}"  # the file changed its mind after the job was queued
    with pytest.raises(TemplateError) as caught:
        runtime.run_job(broken)
    assert caught.value.location is not None
    assert (caught.value.location.path, caught.value.location.line) == (
        "app/views/pages/index.liquid",
        2,
    )


def test_error_inside_partial_included_by_body_names_the_partial(app: AppDir) -> None:
    app.partial("emails/welcome", "Hello\n{{ user | nofilter }}")
    app.page(
        "index",
        "{% background source_name: 'send_welcome' %}\n"
        "  {% include 'emails/welcome', user: 1 %}\n{% endbackground %}",
    )
    runtime = app.runtime()
    [spec] = runtime.render("index").outbox.jobs
    with pytest.raises(TemplateError) as caught:
        runtime.run_job(job_from(spec))
    assert caught.value.location == Location("app/views/partials/emails/welcome.liquid", 2, 11)
    assert caught.value.message == "unknown filter 'nofilter'"


def test_failed_attempt_keeps_its_log_entries_with_the_error(app: AppDir) -> None:
    app.page(
        "index",
        "{% background source_name: 'logs_then_fails' %}"
        "{% log 'before' %}{% raise 'nope' %}{% endbackground %}",
    )
    runtime = app.runtime()
    [spec] = runtime.render("index").outbox.jobs
    with pytest.raises(JobRenderFailed) as caught:
        runtime.attempt_job(job_from(spec))
    assert isinstance(caught.value.error, TemplateError)
    outbox = caught.value.outbox
    assert [entry.message for entry in outbox.logs] == ["before"]


def test_partial_job_runs_the_partial_with_its_arguments(app: AppDir) -> None:
    app.write("app/lib/jobs/report.liquid", "report {{ day }} {{ job.source_name }}")
    app.page("index", "{% background _ = 'jobs/report', day: 'mon', source_name: 'daily_report' %}")
    runtime = app.runtime()
    [spec] = runtime.render("index").outbox.jobs
    assert runtime.run_job(job_from(spec)).output == "report mon daily_report"


def test_partial_job_whose_partial_vanished_fails_at_its_origin(app: AppDir) -> None:
    path = app.write("app/lib/jobs/gone.liquid", "x")
    app.page("index", "\n{% background _ = 'jobs/gone', source_name: 'gone_job' %}")
    runtime = app.runtime()
    [spec] = runtime.render("index").outbox.jobs
    path.unlink()
    with pytest.raises(TemplateError) as caught:
        runtime.run_job(job_from(spec))
    assert caught.value.location == Location("app/views/pages/index.liquid", 2, 1)
    assert "app/lib/jobs/gone.liquid" in caught.value.message


def test_parsed_bodies_are_cached_by_content_and_origin(app: AppDir) -> None:
    app.page("index", "{% background source_name: 'cached_job' %}{{ 1 }}{% endbackground %}")
    runtime = app.runtime()
    [spec] = runtime.render("index").outbox.jobs
    assert spec.body is not None
    first = runtime._body_template(spec.body, spec.origin)
    assert runtime._body_template(spec.body, spec.origin) is first
    moved = Location(spec.origin.path, spec.origin.line + 1, spec.origin.column)
    assert runtime._body_template(spec.body, moved) is not first
