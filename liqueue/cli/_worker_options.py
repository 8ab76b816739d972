"""The options of a job worker, declared once for every command that runs one
(`worker`, `serve --with-worker`, `demo`), so their help and defaults agree."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from liqueue.cli._common import duration_option

F = TypeVar("F", bound=Callable[..., object])


def worker_options(f: F) -> F:
    """Add `--concurrency` (int) and `--grace` (seconds, float) to a command."""
    f = click.option(
        "--grace",
        default="10s",
        show_default=True,
        help="On Ctrl-C/SIGTERM, how long running jobs may take to finish "
        "before they are handed back.",
        callback=lambda _ctx, _param, value: duration_option(value),
    )(f)
    return click.option(
        "--concurrency",
        default=4,
        show_default=True,
        type=click.IntRange(min=1),
        help="Jobs each worker process runs at the same time.",
    )(f)
