"""The `background` tag: forms, options, arguments, body capture, outbox."""

from __future__ import annotations

import pytest

from liqueue.errors import JobOptionError, Location, TemplateError

from .liquid_apps import AppDir, job_from


def test_block_form_queues_one_job_with_every_option(app: AppDir) -> None:
    app.page(
        "orders/create",
        "{% background max_attempts: 5, priority: 'high', delay: 1.5, "
        "source_name: 'x' | append: suffix, other: value, n: 3 %}BODY{% endbackground %}",
    )
    result = app.runtime().render("orders/create", {"suffix": "_y", "value": {"a": [1, 2]}})
    [spec] = result.outbox.jobs
    assert spec.max_attempts == 5
    assert spec.priority == "high"
    assert spec.delay_minutes == 1.5
    assert spec.source_name == "x_y"
    assert spec.arguments == {"other": {"a": [1, 2]}, "n": 3}
    assert spec.body == "BODY"
    assert spec.partial is None


def test_defaults_and_readable_default_source_name(app: AppDir) -> None:
    app.page("orders/create", "line one\n\n  {% background %}hi{% endbackground %}\n")
    [spec] = app.runtime().render("orders/create").outbox.jobs
    assert spec.source_name == "pages/orders/create:3"
    assert (spec.priority, spec.max_attempts, spec.delay_minutes) == ("default", 1, 0.0)
    assert spec.arguments == {}


def test_body_is_captured_exactly_and_never_rendered_at_the_page(app: AppDir) -> None:
    body = "\n  {% log 'x' %}{{ secret }} {%- if a -%} {% raw %}{{ raw }}{% endraw %}{% endif %}\n"
    app.page(
        "index",
        "before|{% background source_name: 'exact_body' %}" + body + "{%- endbackground %}|after",
    )
    result = app.runtime().render("index", {"secret": "S"})
    assert result.output == "before||after"
    [spec] = result.outbox.jobs
    assert spec.body == body
    assert result.outbox.logs == []  # the body's log tag did not run at the page


def test_origin_is_where_the_body_starts(app: AppDir) -> None:
    app.page("index", "a\nbb {% background source_name: 'o_rigin' %}\n  x\n{% endbackground %}")
    [spec] = app.runtime().render("index").outbox.jobs
    # `{% background source_name: 'o_rigin' %}` ends at column 42 of line 2.
    assert spec.origin == Location("app/views/pages/index.liquid", 2, 43)


def test_filter_keyword_arguments_do_not_swallow_the_next_tag_argument(app: AppDir) -> None:
    app.page(
        "index",
        "{% background source_name: 'a' | append: b, delay: 2, "
        "flag: missing | default: 'd', allow_false: true, last: 1 %}{% endbackground %}",
    )
    [spec] = app.runtime().render("index", {"b": "_b"}).outbox.jobs
    assert spec.source_name == "a_b"
    assert spec.delay_minutes == 2
    assert spec.arguments == {"flag": "d", "last": 1}


def test_arguments_go_through_json(app: AppDir) -> None:
    app.page(
        "index",
        "{% background source_name: 'json_args', missing: nope, rng: (1..3), "
        "t: true, f: 1.25, s: 'str' | upcase %}{% endbackground %}",
    )
    [spec] = app.runtime().render("index").outbox.jobs
    assert spec.arguments == {"missing": None, "rng": [1, 2, 3], "t": True, "f": 1.25, "s": "STR"}


def test_unstorable_argument_is_an_error_naming_it(app: AppDir) -> None:
    app.page(
        "index",
        "\n  {% background source_name: 'bad_arg', ok: 1, blob: thing %}{% endbackground %}",
    )
    with pytest.raises(JobOptionError) as caught:
        app.runtime().render("index", {"thing": object()})
    assert "job argument 'blob' cannot be stored as JSON" in caught.value.message
    assert caught.value.location == Location("app/views/pages/index.liquid", 2, 48)


@pytest.mark.parametrize(
    ("options", "column", "message"),
    [
        ("priority: 'urgent'", 18, "priority must be one of"),
        ("max_attempts: 9", 18, "max_attempts is at most 5"),
        ("delay: -1", 18, "delay must not be negative"),
        ("delay: 'soon'", 18, "delay must be a number of minutes"),
        ("source_name: '   '", 18, "source_name must not be empty"),
        ("source_name: 'ok_name', max_attempts: 2.5", 42, "max_attempts must be a whole number"),
    ],
)
def test_each_invalid_option_names_file_line_and_column(
    app: AppDir, options: str, column: int, message: str
) -> None:
    app.page("index", "x\n\n   {% background " + options + " %}{% endbackground %}")
    with pytest.raises(JobOptionError) as caught:
        app.runtime().render("index")
    assert caught.value.location == Location("app/views/pages/index.liquid", 3, column)
    assert message in caught.value.message


def test_options_from_variables_are_validated_at_render(app: AppDir) -> None:
    app.page("index", "{% background source_name: 'p_var', priority: p %}{% endbackground %}")
    runtime = app.runtime()
    assert runtime.render("index", {"p": "low"}).outbox.jobs[0].priority == "low"
    with pytest.raises(JobOptionError, match="priority must be one of"):
        runtime.render("index", {"p": "asap"})


def test_literal_options_hold_at_every_render_and_a_wrong_one_fails_each_time(
    app: AppDir,
) -> None:
    """Literal options are validated once, when the page is parsed: the jobs of
    every render and every loop turn still carry them, and a wrong one is still
    reported at each render, where the tag is."""
    app.page(
        "index",
        "{% for n in (1..3) %}{% background source_name: 'lit_opts', priority: 'low', "
        "delay: 2, max_attempts: 3.0, n: n %}{% endbackground %}{% endfor %}"
        "{% background priority: nil, delay: nil %}{% endbackground %}",
    )
    app.page(
        "bad", "{% for n in (1..3) %}{% background delay: -1 %}{% endbackground %}{% endfor %}"
    )
    runtime = app.runtime()
    for _ in range(2):
        *looped, defaults = runtime.render("index").outbox.jobs
        assert [(j.source_name, j.priority, j.delay_minutes, j.max_attempts) for j in looped] == [
            ("lit_opts", "low", 2.0, 3)
        ] * 3
        assert [j.arguments for j in looped] == [{"n": 1}, {"n": 2}, {"n": 3}]
        assert (defaults.priority, defaults.delay_minutes) == ("default", 0.0)
        assert defaults.source_name == "pages/index:1"
        for _ in range(2):
            with pytest.raises(JobOptionError, match="delay must not be negative") as caught:
                runtime.render("bad")
            assert caught.value.location == Location("app/views/pages/bad.liquid", 1, 36)


def test_a_partial_names_its_jobs_after_itself_from_every_page(app: AppDir) -> None:
    app.partial("queue", "\n{% background who: who %}{% endbackground %}")
    app.page("a", "{% include 'queue', who: 1 %}")
    app.page("b", "{% render 'queue', who: 2 %}{% include 'queue', who: 3 %}")
    runtime = app.runtime()
    jobs = [*runtime.render("a").outbox.jobs, *runtime.render("b").outbox.jobs]
    assert {(j.source_name, j.origin) for j in jobs} == {
        ("partials/queue:2", Location("app/views/partials/queue.liquid", 2, 26))
    }
    assert [j.arguments["who"] for j in jobs] == [1, 2, 3]


def test_max_attempts_zero_means_one(app: AppDir) -> None:
    app.page(
        "index", "{% background source_name: 'zero_att', max_attempts: 0 %}{% endbackground %}"
    )
    assert app.runtime().render("index").outbox.jobs[0].max_attempts == 1


def test_partial_form_assigns_the_job_id(app: AppDir) -> None:
    app.partial("jobs/cleanup", "cleaning {{ days }}")
    app.page(
        "index",
        "{% background job_id = 'jobs/cleanup', delay: 0.1, days: 3, "
        "source_name: 'jobs_cleanup' %}id={{ job_id }}",
    )
    result = app.runtime().render("index")
    [spec] = result.outbox.jobs
    assert result.output == f"id={spec.id}"
    assert spec.partial == "jobs/cleanup"
    assert spec.body is None
    assert spec.arguments == {"days": 3}
    assert spec.delay_minutes == 0.1
    assert spec.origin == Location("app/views/pages/index.liquid", 1, 1)


def test_partial_form_with_variable_path_defaults_source_name_to_partial(app: AppDir) -> None:
    app.write("app/lib/jobs/sync.liquid", "sync")
    app.page("index", "{% background jid = which, a: 1 %}{{ jid | size }}")
    result = app.runtime().render("index", {"which": "jobs/sync"})
    [spec] = result.outbox.jobs
    assert (spec.partial, spec.source_name) == ("jobs/sync", "jobs/sync")
    assert result.output == "36"


def test_partial_form_inside_liquid_tag(app: AppDir) -> None:
    app.partial("jobs/a", "a")
    app.page(
        "index",
        "{% liquid\n  assign n = 2\n  background _ = 'jobs/a', n: n | plus: 1, source_name: 'job_a'\n"
        "  echo _ | size\n%}",
    )
    result = app.runtime().render("index")
    [spec] = result.outbox.jobs
    assert spec.arguments == {"n": 3}
    assert result.output == "36"
    assert spec.origin == Location("app/views/pages/index.liquid", 3, 3)


def test_partial_form_with_missing_partial_fails_naming_places(app: AppDir) -> None:
    app.page("index", "{% background _ = 'jobs/none' %}")
    with pytest.raises(TemplateError) as caught:
        app.runtime().render("index")
    assert "app/views/partials/jobs/none.liquid" in caught.value.message
    assert "app/lib/jobs/none.liquid" in caught.value.message
    assert caught.value.location == Location("app/views/pages/index.liquid", 1, 19)


def test_block_form_inside_liquid_tag_keeps_file_positions(app: AppDir) -> None:
    app.page(
        "index",
        "{% liquid\n  background source_name: 'in_liquid', n: 1\n    log n\n    echo n\n"
        "  endbackground\n%}",
    )
    runtime = app.runtime()
    result = runtime.render("index")
    [spec] = result.outbox.jobs
    assert spec.body is not None and "log n" in spec.body
    ran = runtime.run_job(job_from(spec))
    assert ran.output.strip() == "1"
    assert ran.outbox.logs[0].location == "app/views/pages/index.liquid:3"


def test_loops_and_includes_share_one_outbox(app: AppDir) -> None:
    app.partial(
        "queue",
        "{% background source_name: 'from_partial', who: who %}{% endbackground %}",
    )
    app.page(
        "index",
        "{% for u in users %}"
        "{% background delay: forloop.index, source_name: 'send_batch_email', user_id: u %}"
        "{% endbackground %}{% include 'queue', who: u %}{% render 'queue', who: u %}"
        "{% endfor %}",
    )
    jobs = app.runtime().render("index", {"users": [7, 8]}).outbox.jobs
    assert [(j.source_name, j.delay_minutes, j.arguments) for j in jobs] == [
        ("send_batch_email", 1.0, {"user_id": 7}),
        ("from_partial", 0.0, {"who": 7}),
        ("from_partial", 0.0, {"who": 7}),
        ("send_batch_email", 2.0, {"user_id": 8}),
        ("from_partial", 0.0, {"who": 8}),
        ("from_partial", 0.0, {"who": 8}),
    ]
    assert len({j.id for j in jobs}) == 6


def test_job_context_is_the_renders_context(app: AppDir) -> None:
    from liqueue.config import AppConfig

    app.page("orders/create", "{% background source_name: 'ctx_job' %}{% endbackground %}")
    config = AppConfig(constants={"API": "k"}, environment="staging")
    result = app.runtime(config).render("orders/create", {"p": 1}, request_path="/orders?x=1")
    [spec] = result.outbox.jobs
    # Constants stay in the settings: the job reads them from the running app.
    assert spec.context == {
        "environment": "staging",
        "location": {"path": "/orders?x=1", "template": "app/views/pages/orders/create.liquid"},
    }


def test_positional_arguments_are_rejected(app: AppDir) -> None:
    app.page("index", "{% background 'oops' %}{% endbackground %}")
    with pytest.raises(TemplateError) as caught:
        app.runtime().render("index")
    assert "name: value arguments only" in caught.value.message
    assert caught.value.location == Location("app/views/pages/index.liquid", 1, 15)


def test_drops_markup_and_dates_become_plain_json(app: AppDir) -> None:
    import datetime

    from markupsafe import Markup

    app.page(
        "index",
        "{% for i in (1..2) %}{% if forloop.last %}"
        "{% background source_name: 'plain_json', loop: forloop, html: mk, day: d %}"
        "{% endbackground %}{% endif %}{% endfor %}",
    )
    params = {"mk": Markup("<b>"), "d": datetime.date(2026, 11, 28)}
    [spec] = app.runtime().render("index", params).outbox.jobs
    assert spec.arguments["loop"]["index"] == 2
    assert spec.arguments["loop"]["last"] is True
    assert spec.arguments["html"] == "<b>"
    assert type(spec.arguments["html"]) is str
    assert spec.arguments["day"] == "2026-11-28"


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
