"""`liqueue check`: every problem of an application, as `path:line:col: severity: message`."""

from __future__ import annotations

import click

from liqueue.app import App
from liqueue.cli import _style
from liqueue.cli._common import with_app


@click.command(short_help="Check every template; path:line:col problems.")
@with_app
def check(app: App) -> None:
    """Check every template of APP without running it.

    Parses pages, partials, consumers (and their front matter) and event
    schemas, and checks {% background %} options (priority, max_attempts,
    delay, source_name), included partials that do not exist, and more.
    Prints one line per problem, in the form editors and grep understand:

    \b
      app/views/pages/index.liquid:4:3: error: unknown priority 'urgent'

    then a summary. Exits 1 if any problem is an error; warnings alone exit 0,
    so `liqueue check APP` can gate a deploy.

    \b
    Example:
      liqueue check shop && liqueue worker shop
    """
    problems = app.check()
    for problem in problems:
        _style.echo(f"{problem.location}: {_style.severity(problem.severity)}: {problem.message}")
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if not problems:
        click.echo("no problems found")
    else:
        click.echo(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}")
    if errors:
        raise SystemExit(1)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def register(group: click.Group) -> None:
    group.add_command(check)
