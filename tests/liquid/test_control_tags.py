"""`function`/`return`, `try`/`catch`, `raise`, and the standard tags alongside them."""

from __future__ import annotations

import pytest

from liqueue.errors import JobFailed, Location, TemplateError, TimeLimitExceeded

from .liquid_apps import AppDir, job_from


def test_function_returns_value_isolated_scope_output_discarded(app: AppDir) -> None:
    app.write(
        "app/lib/math/double.liquid",
        "printed {% assign r = n | times: 2 %}{{ outer }}{% return r %}never {% assign r = 0 %}",
    )
    app.page(
        "index",
        "{% assign outer = 'O' %}[{% function d = 'math/double', n: 21 %}]{{ d }} {{ r }}",
    )
    assert app.runtime().render("index").output == "[]42 "


def test_function_without_return_gives_nil_and_path_may_be_variable(app: AppDir) -> None:
    app.write("app/lib/noop.liquid", "{% assign x = 1 %}")
    app.page("index", "{% function v = name %}{{ v | default: 'nil' }}")
    assert app.runtime().render("index", {"name": "noop"}).output == "nil"


def test_function_in_liquid_tag_and_return_inside_loop(app: AppDir) -> None:
    app.write(
        "app/lib/find.liquid",
        "{% for i in items %}{% if i > above %}{% return i %}{% endif %}{% endfor %}",
    )
    app.page(
        "index",
        "{% liquid\n  function first = 'find', items: xs, above: 2\n  echo first\n%}",
    )
    assert app.runtime().render("index", {"xs": [1, 3, 5]}).output == "3"


def test_function_partial_can_queue_jobs_into_the_same_outbox(app: AppDir) -> None:
    app.write(
        "app/lib/enqueue.liquid",
        "{% background source_name: 'from_function', v: v %}{% endbackground %}{% return 1 %}",
    )
    app.page("index", "{% function a = 'enqueue', v: 1 %}{% function b = 'enqueue', v: 2 %}")
    jobs = app.runtime().render("index").outbox.jobs
    assert [job.arguments for job in jobs] == [{"v": 1}, {"v": 2}]


def test_function_missing_partial_is_an_error_at_the_name(app: AppDir) -> None:
    app.page("index", "{% function x = 'nope/none' %}")
    with pytest.raises(TemplateError) as caught:
        app.runtime().render("index")
    assert caught.value.location == Location("app/views/pages/index.liquid", 1, 17)
    assert "app/lib/nope/none.liquid" in caught.value.message


def test_call_function_returns_a_hash(app: AppDir) -> None:
    app.write(
        "app/lib/events/order.created.liquid",
        "{% liquid\n  assign errors = '' | split: ','\n"
        "  unless event.order_id\n    assign errors = 'order_id missing' | split: ','\n"
        "  endunless\n%}"
        "{% if errors.size == 0 %}{% return true %}{% endif %}{% return errors %}",
    )
    runtime = app.runtime()
    assert runtime.call_function("events/order.created", {"event": {"order_id": 1}}) is True
    assert runtime.call_function("events/order.created", {"event": {}}) == ["order_id missing"]


def test_try_catch_discards_try_output_and_describes_the_error(app: AppDir) -> None:
    app.page(
        "index",
        "a{% try %}partial output{{ 1 | nofilter }}{% catch err %}"
        "[{{ err.message }}|{{ err.class }}|{{ err.location }}]{% endtry %}b",
    )
    assert app.runtime().render("index").output == (
        "a[unknown filter 'nofilter'|UnknownFilterError|app/views/pages/index.liquid:1:32]b"
    )


def test_try_without_error_keeps_output_and_default_error_name(app: AppDir) -> None:
    app.page(
        "index",
        "{% try %}fine{% endtry %}|{% try %}{% raise 'x' %}{% catch %}{{ error.class }}{% endtry %}",
    )
    assert app.runtime().render("index").output == "fine|JobFailed"


def test_failed_try_drops_its_jobs_and_events_but_keeps_logs(app: AppDir) -> None:
    app.page(
        "index",
        "{% background source_name: 'kept_job' %}{% endbackground %}"
        "{% try %}{% log 'tried' %}{% background source_name: 'dropped_job' %}{% endbackground %}"
        "{% trigger_event 'a.b' %}{% raise 'stop' %}{% endtry %}",
    )
    outbox = app.runtime().render("index").outbox
    assert [job.source_name for job in outbox.jobs] == ["kept_job"]
    assert outbox.events == []
    assert [entry.message for entry in outbox.logs] == ["tried"]


def test_try_catches_errors_from_included_partials_with_their_location(app: AppDir) -> None:
    app.partial("bad", "\n\n  {{ 'x' | nofilter }}")
    app.page("index", "{% try %}{% include 'bad' %}{% catch e %}{{ e.location }}{% endtry %}")
    assert app.runtime().render("index").output == "app/views/partials/bad.liquid:3:12"


def test_try_never_catches_time_limit_exceeded(app: AppDir) -> None:
    def stop(_value: object) -> object:
        raise TimeLimitExceeded("over time")

    runtime = app.runtime()
    runtime.env.add_filter("stop", stop)
    app.page("index", "{% try %}{{ 1 | stop }}{% catch e %}caught{% endtry %}")
    with pytest.raises(TimeLimitExceeded, match="over time"):
        runtime.render("index")


def test_try_never_catches_base_exceptions(app: AppDir) -> None:
    def interrupt(_value: object) -> object:
        raise KeyboardInterrupt

    runtime = app.runtime()
    runtime.env.add_filter("interrupt", interrupt)
    app.page("index", "{% try %}{{ 1 | interrupt }}{% catch e %}caught{% endtry %}")
    with pytest.raises(KeyboardInterrupt):
        runtime.render("index")


def test_time_limit_passes_through_render_unchanged(app: AppDir) -> None:
    limit = TimeLimitExceeded("stop now")

    def stop(_value: object) -> object:
        raise limit

    runtime = app.runtime()
    runtime.env.add_filter("stop", stop)
    app.page("index", "{% for i in (1..3) %}{{ i | stop }}{% endfor %}")
    with pytest.raises(TimeLimitExceeded) as caught:
        runtime.render("index")
    assert caught.value is limit


def test_raise_fails_the_job_with_its_location(app: AppDir) -> None:
    app.page(
        "index",
        "{% background source_name: 'raising_job', id: 3 %}\n"
        "  {% if id > 2 %}\n    {% raise 'order ' | append: id | append: ' is cancelled' %}\n"
        "  {% endif %}\n{% endbackground %}",
    )
    runtime = app.runtime()
    [spec] = runtime.render("index").outbox.jobs
    with pytest.raises(JobFailed) as caught:
        runtime.run_job(job_from(spec))
    assert caught.value.message == "order 3 is cancelled"
    assert caught.value.location == Location("app/views/pages/index.liquid", 3, 5)


def test_comment_raw_and_standard_tags_work(app: AppDir) -> None:
    app.page(
        "index",
        "{% comment %}{% background %}{% endcomment %}{% raw %}{{ x }}{% endraw %}"
        "{% # inline %}{% capture c %}{% for i in (1..3) %}{% cycle 'a', 'b' %}{% endfor %}"
        "{% endcapture %}{{ c }}{% case 1 %}{% when 1 %}one{% endcase %}"
        "{% unless false %}u{% endunless %}{% increment n %}{% echo 'e' %}",
    )
    result = app.runtime().render("index")
    assert result.output == "{{ x }}abaoneu0e"
    assert result.outbox.jobs == []
