"""The check rules see each tag as it is parsed, and only while checking."""

from __future__ import annotations

import pytest

from liqueue.errors import TemplateError

from .liquid_apps import AppDir


def test_tags_inside_a_block_that_fails_to_parse_are_still_checked(app: AppDir) -> None:
    app.page(
        "index",
        "{% for i in x %}\n"
        "  {% background priority: 'urgent', source_name: 'orders_sync' %}{% endbackground %}\n"
        "  {% function r = 'lib/none' %}{% if %}\n"
        "{% endfor %}",
    )
    problems = app.runtime().check()
    found = [(p.location.line, p.location.column, p.message.split(" ")[0]) for p in problems]
    assert found == [(2, 17, "priority"), (3, 19, "partial"), (3, 35, "`if`"), (3, 35, "missing")]


def test_rendering_applies_no_check_rules(app: AppDir) -> None:
    app.page("index", "{% background source_name: 'job' %}{% endbackground %}{% include 'gone' %}")
    runtime = app.runtime()
    with pytest.raises(TemplateError, match="partial 'gone' not found"):
        runtime.render("index")
    app.page("index", "{% background source_name: 'job' %}{% endbackground %}")
    assert [job.source_name for job in runtime.render("index").outbox.jobs] == ["job"]


def test_function_and_background_share_the_partial_grammar(app: AppDir) -> None:
    app.page(
        "index",
        "{% function r = 5 %}\n{% background r = 5 %}\n"
        "{% function r = 'p' x %}\n{% background r = 'p' x %}\n"
        "{% function r = 'p', x %}\n{% background r = 'p', x %}\n",
    )
    messages = [(p.location.line, p.message) for p in app.runtime().check()]
    assert messages == [
        (1, "function expects a partial name (a string or a variable)"),
        (2, "background expects a partial name (a string or a variable)"),
        (3, "expected a comma after the partial name, found word"),
        (4, "expected a comma after the partial name, found word"),
        (5, "function takes name: value arguments only"),
        (6, "background takes name: value arguments only"),
    ]
