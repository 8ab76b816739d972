"""Every syntax and render error is a TemplateError with file, line and column."""

from __future__ import annotations

import sys

import pytest

from liqueue.config import AppConfig, Limits
from liqueue.errors import Location, TemplateError

from .liquid_apps import AppDir

INDEX = "app/views/pages/index.liquid"


def _error(app: AppDir, source: str, config: AppConfig | None = None) -> TemplateError:
    app.page("index", source)
    with pytest.raises(TemplateError) as caught:
        app.runtime(config).render("index")
    return caught.value


def test_syntax_error_has_position_and_one_line_message(app: AppDir) -> None:
    err = _error(app, "ok\n  {% if %}x{% endif %}")
    assert err.location == Location(INDEX, 2, 6)
    assert "\n" not in err.message
    assert str(err) == f"{INDEX}:2:6: {err.message}"


def test_unclosed_block_points_at_its_opening_tag(app: AppDir) -> None:
    err = _error(app, "a\nb\n  {% capture x %}\nnever closed\n")
    assert err.location == Location(INDEX, 3, 6)
    assert err.message == "`capture` opened here is never closed (expected endcapture)"


def test_unclosed_background_points_at_its_opening_tag(app: AppDir) -> None:
    err = _error(app, "\n{% background source_name: 'never_closed' %}\nbody")
    assert err.location == Location(INDEX, 2, 4)
    assert err.message == "`background` opened here is never closed (expected endbackground)"


def test_block_closed_by_the_wrong_end_tag(app: AppDir) -> None:
    err = _error(app, "x\n{% capture batch_items %}[{{ item.id }}{% endcomment %}\n")
    assert err.location == Location(INDEX, 2, 43)
    assert (
        err.message == "`capture` opened on line 2 is closed by `endcomment` (expected endcapture)"
    )


def test_inner_unclosed_block_is_reported_when_outer_closes(app: AppDir) -> None:
    err = _error(app, "{% if true %}\n  {% for i in (1..2) %}\n{% endif %}")
    assert err.location == Location(INDEX, 2, 6)
    assert err.message == "`for` opened here is never closed (expected endfor)"


def test_unclosed_block_inside_liquid_tag(app: AppDir) -> None:
    err = _error(app, "{% liquid\n  if true\n    echo 1\n%}")
    assert err.location == Location(INDEX, 2, 3)
    assert "`if` opened here is never closed" in err.message


def test_unknown_tag(app: AppDir) -> None:
    err = _error(app, "\n\n{% nosuchtag %}")
    assert err.location == Location(INDEX, 3, 4)
    assert err.message == "unexpected tag 'nosuchtag'"


def test_syntax_error_inside_included_partial_names_the_partial(app: AppDir) -> None:
    app.partial("emails/welcome", "---\nsubject: hi\n---\nHello\n{% for %}")
    err = _error(app, "{% include 'emails/welcome' %}")
    assert err.location == Location("app/views/partials/emails/welcome.liquid", 5, 4)


def test_render_error_inside_nested_partials_names_the_innermost(app: AppDir) -> None:
    app.partial("outer", "{% render 'inner', v: v %}")
    app.write("app/lib/inner.liquid", "line1\n  {{ v | nofilter }}")
    err = _error(app, "{% include 'outer', v: 1 %}")
    assert err.location == Location("app/lib/inner.liquid", 2, 10)


def test_missing_partial_is_reported_at_the_include(app: AppDir) -> None:
    err = _error(app, "\n  {% include 'nope' %}")
    assert err.location == Location(INDEX, 2, 14)
    assert "app/views/partials/nope.liquid" in err.message
    assert "app/lib/nope.liquid" in err.message


def test_loop_iteration_limit_points_at_the_loop(app: AppDir) -> None:
    config = AppConfig(limits=Limits(loop_iterations=10))
    source = "{% if true %}\n  {% for i in (1..5) %}{% for j in (1..5) %}{% endfor %}{% endfor %}"
    err = _error(app, source + "{% endif %}", config)
    assert err.location == Location(INDEX, 2, 27)
    assert err.message == "loop iteration limit reached"


def test_a_range_longer_than_the_loop_limit_is_refused_where_it_is_made(app: AppDir) -> None:
    config = AppConfig(limits=Limits(loop_iterations=10))
    err = _error(
        app, "{% if true %}\n  {% for i in (1..20) %}{{ i }}{% endfor %}{% endif %}", config
    )
    assert err.location == Location(INDEX, 2, 15)
    assert err.message.startswith("range (1..20) has 20 items, more than the loop limit of 10")


def test_output_limit(app: AppDir) -> None:
    config = AppConfig(limits=Limits(output_bytes=50))
    err = _error(app, "{% for i in (1..100) %}xxxxxxxxxx{% endfor %}", config)
    assert err.location is not None and err.location.path == INDEX
    assert "limit" in err.message


@pytest.mark.parametrize(
    ("text", "fits"),
    [("x" * 50, True), ("x" * 51, False), ("é" * 25, True), ("é" * 26, False), ("€" * 17, False)],
)
def test_output_limit_counts_utf8_bytes(app: AppDir, text: str, fits: bool) -> None:
    config = AppConfig(limits=Limits(output_bytes=50))
    app.page("index", "{% for c in chars %}{{ c }}{% endfor %}")
    runtime = app.runtime(config)
    if fits:
        assert runtime.render("index", {"chars": list(text)}).output == text
    else:
        with pytest.raises(TemplateError, match="limit"):
            runtime.render("index", {"chars": list(text)})


def test_local_namespace_limit_points_at_the_assign(app: AppDir) -> None:
    # Page params are locals too (`params` is an empty hash here).
    first = sys.getsizeof({}) + sys.getsizeof("x")
    config = AppConfig(limits=Limits(local_namespace_bytes=first + 1))
    err = _error(app, "{% assign a = 'x' %}\n{% assign b = 'yyyy' %}", config)
    assert err.message == "local namespace limit reached"
    assert err.location == Location(INDEX, 2, 4)


@pytest.mark.parametrize("depth", [3, 5])
def test_include_depth_limit_counts_nested_includes(app: AppDir, depth: int) -> None:
    config = AppConfig(limits=Limits(include_depth=depth))
    app.partial(
        "nest", "{% assign n = n | plus: 1 %}{% if n < stop %}{% include 'nest' %}{% endif %}"
    )
    app.page("index", "{% assign n = 0 %}{% include 'nest' %}{{ n }}")
    runtime = app.runtime(config)
    assert runtime.render("index", {"stop": depth}).output == str(depth)
    with pytest.raises(TemplateError, match="maximum context depth"):
        runtime.render("index", {"stop": depth + 1})


def test_recursive_include_is_stopped_with_the_partials_position(app: AppDir) -> None:
    app.partial("loop", "x{% include 'loop' %}")
    err = _error(app, "{% include 'loop' %}")
    assert err.location == Location("app/views/partials/loop.liquid", 1, 5)
    assert "maximum context depth" in err.message


def test_keywords_may_be_argument_names(app: AppDir) -> None:
    app.page(
        "index",
        "{% background source_name: 'kw_args', limit: 2, offset: 0, with: 1 %}{% endbackground %}",
    )
    [spec] = app.runtime().render("index").outbox.jobs
    assert spec.arguments == {"limit": 2, "offset": 0, "with": 1}


def test_argument_given_twice_is_a_syntax_error(app: AppDir) -> None:
    err = _error(app, "{% background a: 1, a: 2 %}{% endbackground %}")
    assert err.location == Location(INDEX, 1, 21)
    assert err.message == "argument 'a' is given twice"


def test_python_exception_in_a_filter_gets_the_statements_position(app: AppDir) -> None:
    def explode(_value: object) -> object:
        raise ZeroDivisionError("boom")

    runtime = app.runtime()
    runtime.env.add_filter("explode", explode)
    app.page(
        "index",
        "a\n{% if true %}\n  {{ 1 | explode }}{% endif %}"
        "{% try %}{% assign x = 1 | explode %}{% catch e %}[{{ e.class }}: {{ e.message }}]"
        "{% endtry %}",
    )
    app.partial("p", "{{ 1 | explode }}")
    with pytest.raises(TemplateError) as caught:
        runtime.render("index")
    assert caught.value.location == Location(INDEX, 3, 3)
    assert caught.value.message == "ZeroDivisionError: boom"
    app.page("index", "{% try %}{% assign x = 1 | explode %}{% catch e %}{{ e.class }}{% endtry %}")
    assert runtime.render("index").output == "ZeroDivisionError"
