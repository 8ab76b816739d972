"""`liqueue demo`: README's first command, on the example shop or any app."""

from __future__ import annotations

import click

from liqueue.app import App
from liqueue.cli._common import with_app
from liqueue.cli.demo_run import run_demo
from liqueue.cli.stats import stats_table
from liqueue.config import parse_duration
from liqueue.store.stats import stats_report


@click.command(short_help="Render every page, run the jobs, watch the log.")
@with_app
@click.option(
    "--fresh/--keep",
    default=True,
    show_default=True,
    help="Start from an empty default SQLite queue (never touches a --db database).",
)
@click.option(
    "--horizon",
    default="15s",
    show_default=True,
    help="Keep working while a job is due within this long (retries, short delays).",
)
@click.option("--concurrency", default=4, show_default=True, help="Job threads.")
def demo(app: App, fresh: bool, horizon: str, concurrency: int) -> None:
    """Render every page of APP, then run its jobs and print every log line.

    You watch jobs being queued, running, failing, retrying with backoff,
    dying after their last attempt and succeeding; when nothing is due
    within --horizon it stops and prints the stats table. Jobs delayed
    further (a follow-up in 1440 minutes) stay scheduled.

    \b
    Example:
      liqueue demo examples/shop
      liqueue demo examples/shop --horizon 2m | grep attempt
    """
    run_demo(
        app, fresh=fresh, horizon=parse_duration(horizon), concurrency=concurrency, out=click.echo
    )
    click.echo("")
    click.echo(stats_table(stats_report(app.store.stats())))


def register(group: click.Group) -> None:
    group.add_command(demo)
