"""`Runtime.check`: every problem of every template, with its position."""

from __future__ import annotations

from liqueue.errors import Location
from liqueue.liquid import Problem

from .liquid_apps import AppDir


def _found(problems: list[Problem]) -> list[tuple[str, int, int, str]]:
    return [(p.location.path, p.location.line, p.location.column, p.severity) for p in problems]


def test_clean_app_has_no_problems(app: AppDir) -> None:
    app.page("index", "{% background source_name: 'email_send_welcome' %}hi{% endbackground %}")
    app.partial("x", "{% include 'y' %}")
    app.write("app/lib/y.liquid", "")
    assert app.runtime().check() == []


def test_literal_bad_options_are_errors_at_the_option(app: AppDir) -> None:
    app.page(
        "orders/create",
        "{% background priority: 'urgent', source_name: 'orders_sync' %}{% endbackground %}\n"
        "  {% background max_attempts: 9, source_name: 'orders_sync' %}{% endbackground %}\n"
        "{% liquid\n  background _ = 'p', delay: -1, source_name: 'orders_sync'\n%}",
    )
    app.partial("p", "")
    problems = app.runtime().check()
    path = "app/views/pages/orders/create.liquid"
    assert _found(problems) == [
        (path, 1, 15, "error"),
        (path, 2, 17, "error"),
        (path, 4, 23, "error"),
    ]
    assert "priority must be one of" in problems[0].message
    assert "max_attempts is at most 5" in problems[1].message
    assert "delay must not be negative" in problems[2].message


def test_options_from_variables_are_not_judged(app: AppDir) -> None:
    app.page("index", "{% background priority: p, source_name: name %}{% endbackground %}")
    assert app.runtime().check() == []


def test_source_name_warnings(app: AppDir) -> None:
    app.page(
        "index",
        "{% background source_name: 'job' %}{% endbackground %}\n"
        "{% background source_name: 'Task' %}{% endbackground %}\n"
        "{% background source_name: 'emails' %}{% endbackground %}\n"
        "  {% background %}{% endbackground %}\n"
        "{% background source_name: 'email_send_welcome' %}{% endbackground %}\n",
    )
    problems = app.runtime().check()
    path = "app/views/pages/index.liquid"
    assert _found(problems) == [
        (path, 1, 15, "warning"),
        (path, 2, 15, "warning"),
        (path, 3, 15, "warning"),
        (path, 4, 3, "warning"),
    ]
    assert "generic word" in problems[0].message
    assert "generic word" in problems[1].message
    assert "single word" in problems[2].message
    assert "no source_name" in problems[3].message


def test_all_problems_of_all_files_are_reported(app: AppDir) -> None:
    app.page(
        "a",
        "{% if x %}\n{% capture c %}{% endcomment %}\n{% endif %}\n"
        "{% background source_name: 'bodies_checked' %}\n  {{ 'x' | }}\n{% endbackground %}\n"
        "{% nosuch %}\n{% for i in y %}",
    )
    app.partial("b", "---\nkey: [1,\n---\n{% if %}")
    app.write("app/lib/c.liquid", "{% background priority: 'urgent' %}{% endbackground %}")
    problems = app.runtime().check()
    assert _found(problems) == [
        ("app/lib/c.liquid", 1, 1, "warning"),
        ("app/lib/c.liquid", 1, 15, "error"),
        ("app/views/pages/a.liquid", 2, 19, "error"),
        ("app/views/pages/a.liquid", 5, 11, "error"),
        ("app/views/pages/a.liquid", 7, 4, "error"),
        ("app/views/pages/a.liquid", 8, 4, "error"),
        ("app/views/partials/b.liquid", 3, 1, "error"),
    ]
    messages = {(p.location.path, p.location.line): p.message for p in problems}
    assert "closed by `endcomment`" in messages[("app/views/pages/a.liquid", 2)]
    assert messages[("app/views/pages/a.liquid", 7)] == "unexpected tag 'nosuch'"
    assert "`for` opened here is never closed" in messages[("app/views/pages/a.liquid", 8)]
    assert "invalid YAML front matter" in messages[("app/views/partials/b.liquid", 3)]


def test_problem_text() -> None:
    problem = Problem(Location("app/x.liquid", 3, 4), "bad", "error")
    assert str(problem) == "app/x.liquid:3:4: error: bad"


def test_partials_named_by_literals_must_exist(app: AppDir) -> None:
    app.partial("here", "")
    app.page(
        "index",
        "{% include 'here' %}{% include 'gone' %}\n"
        "{% render 'gone/too' %}{% include name %}\n"
        "{% function r = 'lib/none' %}\n"
        "{% background _ = 'jobs/none', source_name: 'jobs_none' %}",
    )
    problems = app.runtime().check()
    path = "app/views/pages/index.liquid"
    assert _found(problems) == [
        (path, 1, 32, "error"),
        (path, 2, 11, "error"),
        (path, 3, 17, "error"),
        (path, 4, 19, "error"),
    ]
    assert problems[0].message == (
        "partial 'gone' not found (looked in app/views/partials/gone.liquid, app/lib/gone.liquid)"
    )
