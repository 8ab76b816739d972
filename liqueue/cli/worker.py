"""`liqueue worker`: run jobs until stopped."""

from __future__ import annotations

import logging

import click

from liqueue.app import App
from liqueue.cli._common import duration_option, with_app
from liqueue.cli._worker_options import worker_options


@click.command(short_help="Run jobs: claim, run, retry, bury.")
@with_app
@click.option(
    "--processes",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Worker processes to start, each claiming jobs on its own.",
)
@worker_options
@click.option(
    "--burst",
    is_flag=True,
    help="Run the jobs due now (and those they create), then exit; handy in tests and cron.",
)
@click.option(
    "--horizon",
    default="0s",
    show_default=True,
    help="With --burst: also wait for jobs due within this long (retries, short delays).",
    callback=lambda _ctx, _param, value: duration_option(value),
)
def worker(
    app: App, processes: int, concurrency: int, burst: bool, horizon: float, grace: float
) -> None:
    """Run the background jobs of APP: claim due jobs, run them, retry or bury them.

    Jobs are taken by priority (high before default before low, without
    starving low), each within its priority's time limit. A failed attempt
    is retried after the backoff set in liqueue.yml (retry_backoff) until
    max_attempts; then the job is dead (see `liqueue jobs list APP --state dead`).
    Ctrl-C (or SIGTERM) stops gracefully: running jobs finish within --grace,
    the rest are handed back; Ctrl-C again stops at once, handing running jobs
    back too. Worker processes stop when the parent dies, even by kill -9.

    \b
    Examples:
      liqueue worker shop                          # until Ctrl-C
      liqueue worker shop --processes 4 --concurrency 8
      liqueue worker shop --burst                  # drain what is due, then exit
      liqueue worker shop --burst --horizon 1m     # ...and what falls due within a minute
    """
    from liqueue import worker as runner  # the worker pulls in more; load it only here
    from liqueue.worker.supervisor import LOG_FORMAT

    # What it does (start, stop, the burst's summary) goes to stderr, as the children log.
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    raise SystemExit(
        runner.run(
            app,
            processes=processes,
            concurrency=concurrency,
            burst=burst,
            burst_horizon=horizon,
            grace_seconds=grace,
        )
    )


def register(group: click.Group) -> None:
    group.add_command(worker)
