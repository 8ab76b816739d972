"""`liqueue check`: every problem of an application, as `path:line:col: severity: message`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from liqueue.app import App
from liqueue.cli import _style
from liqueue.cli._common import echo_json, with_app

if TYPE_CHECKING:
    # Only a type: importing it would load python-liquid for every command.
    from liqueue.liquid.problems import Problem


@click.command(short_help="Check every template; path:line:col problems.")
@with_app
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a JSON array of problems: path, line, column, severity, message.",
)
def check(app: App, as_json: bool) -> None:
    """Check every template of APP without running it.

    Parses pages, partials, consumers (and their front matter) and event
    schemas, and checks {% background %} options (priority, max_attempts,
    delay, source_name), included partials that do not exist, and more.
    Prints one line per problem, in the form editors and grep understand:

    \b
      app/views/pages/index.liquid:4:3: error: unknown priority 'urgent'

    then a summary. Exits 1 if any problem is an error; warnings alone exit 0,
    so `liqueue check APP` can gate a deploy. With --json, the problems are
    one JSON array instead, for editors and CI.

    \b
    Example:
      liqueue check shop && liqueue worker shop
    """
    problems = app.check()
    errors = sum(1 for p in problems if p.severity == "error")
    if as_json:
        echo_json([_problem_data(p) for p in problems])
        if errors:
            raise SystemExit(1)
        return
    for problem in problems:
        _style.echo(f"{problem.location}: {_style.severity(problem.severity)}: {problem.message}")
    warnings = len(problems) - errors
    if not problems:
        click.echo("no problems found")
    else:
        click.echo(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}")
    if errors:
        raise SystemExit(1)


def _problem_data(problem: Problem) -> dict[str, object]:
    location = problem.location
    return {
        "path": location.path,
        "line": location.line or None,
        "column": location.column or None,
        "severity": problem.severity,
        "message": problem.message,
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def register(group: click.Group) -> None:
    group.add_command(check)
