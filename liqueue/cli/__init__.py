"""The `liqueue` command line: thin commands over `App` and its store."""

from __future__ import annotations

import click

from liqueue import __version__
from liqueue.cli import check, demo, events, jobs, logs, migrate, new, render, serve, stats, worker
from liqueue.cli import dashboard as dashboard_cli
from liqueue.cli import schedules as schedules_cli
from liqueue.cli._common import LiqueueGroup


@click.group(cls=LiqueueGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="liqueue")
def cli() -> None:
    """Durable background jobs and events for Liquid applications, platformOS style.

    APP is the application's directory (the one holding app/ and liqueue.yml).
    It may be left out: the application is then the one containing the
    current directory (searching upward), then $LIQUEUE_APP. Every command
    taking APP also takes --db URL; without it the database is
    $LIQUEUE_DATABASE_URL, then database_url in liqueue.yml, then a SQLite
    file at APP/.liqueue/liqueue.db. sqlite:///rel.db is relative to APP,
    sqlite:////abs/path.db absolute.

    \b
    A first session:
      liqueue new shop && cd shop      # a small app that works at once
      liqueue migrate                  # create the database schema
      liqueue render index             # render a page, queue its jobs
      liqueue worker --burst           # run due jobs, then stop
      liqueue logs | grep attempt      # the whole log, oldest first
      liqueue jobs list --state dead

    Run `liqueue COMMAND --help` for each command's options and examples.
    """


for module in (new, render, check, worker, migrate, logs, jobs, stats, events, demo, serve):
    module.register(cli)
dashboard_cli.register(cli)
schedules_cli.register(cli)


def main() -> None:
    cli(prog_name="liqueue")


__all__ = ["cli", "main"]
