"""`liqueue demo`: README's first command, on the example shop or any app."""

from __future__ import annotations

import shlex

import click

from liqueue.app import App
from liqueue.cli._common import duration_option, with_app
from liqueue.cli._worker_options import worker_options
from liqueue.cli.stats import stats_table
from liqueue.lifeline import sigterm_raises
from liqueue.services import running_services
from liqueue.store.stats import stats_report


@click.command(short_help="Serve the app, click through its pages, run the jobs, watch the log.")
@with_app
@click.option(
    "--fresh/--keep",
    default=False,
    show_default=True,
    help="--fresh first deletes the app's default SQLite queue (.liqueue/liqueue.db); "
    "never a --db or configured database. Without it the queue is kept.",
)
@click.option(
    "--horizon",
    default="15s",
    show_default=True,
    help="First run the jobs due within this long (retries, short delays), then print the stats.",
    callback=lambda _ctx, _param, value: duration_option(value),
)
@worker_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="0: any free port.",
)
@click.option(
    "--exit-when-idle",
    is_flag=True,
    help="Stop after the stats instead of serving on (for scripts and tests).",
)
def demo(
    app: App,
    fresh: bool,
    horizon: float,
    concurrency: int,
    grace: float,
    host: str,
    port: int,
    exit_when_idle: bool,
) -> None:
    """Serve APP, request its pages over HTTP, run their jobs and print every log line.

    Every page without parameters is requested and every form it shows is
    posted (the example shop's checkout among them), as a browser would.
    You watch jobs being queued, running, failing, retrying with backoff,
    dying after their last attempt and succeeding; when nothing is due
    within --horizon the stats table is printed. Then APP stays served at
    the printed URL, with a worker, until Ctrl-C or SIGTERM (unless --exit-when-idle).

    \b
    Examples:
      liqueue demo examples/shop --fresh
      liqueue demo examples/shop --exit-when-idle --horizon 2m | grep attempt
    """
    from liqueue.cli.demo_run import Demo, forget_default_database  # uvicorn loads only here

    if fresh:
        forget_default_database(app)
    # The app's own services (liqueue.yml `services:`) run while its pages and jobs do.
    # SIGTERM stops the demo as Ctrl-C does: running jobs finish, services stop.
    with (
        sigterm_raises(KeyboardInterrupt),
        running_services(app.root, app.config.services) as services,
    ):
        for service in services:
            click.echo(f"started service {service.spec.name}: {shlex.join(service.command)}")
        show = Demo(app, host=host, port=port, concurrency=concurrency, grace=grace, out=click.echo)
        url = show.start()
        click.echo(f"serving {app.root.name} at {url}")
        try:
            show.click_through()
            show.work(burst=True, horizon=horizon)
            click.echo("")
            click.echo(stats_table(stats_report(app.store.stats())))
            if not exit_when_idle:
                click.echo("")
                click.echo(f"still serving at {url}: open it in a browser; Ctrl-C to stop")
                show.work(burst=False)
        except KeyboardInterrupt:
            pass
        finally:
            show.stop()


def register(group: click.Group) -> None:
    group.add_command(demo)
