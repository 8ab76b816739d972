"""`liqueue serve`: the app's pages over HTTP, optionally with job workers beside them."""

from __future__ import annotations

import click

from liqueue.app import App
from liqueue.cli._common import with_app
from liqueue.cli._worker_options import worker_options


@click.command(short_help="Serve the pages over HTTP (and run jobs with --with-worker).")
@with_app
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Server processes (each renders pages; jobs need --with-worker or `liqueue worker`).",
)
@click.option(
    "--with-worker", is_flag=True, help="Also run a job worker process beside the server."
)
@worker_options
@click.option(
    "--reload", is_flag=True, help="Restart the server when liqueue.yml or a template changes."
)
@click.option(
    "--access-log", is_flag=True, help="Log a line per request (off by default: it costs speed)."
)
def serve(
    app: App,
    host: str,
    port: int,
    workers: int,
    with_worker: bool,
    concurrency: int,
    grace: float,
    reload: bool,
    access_log: bool,
) -> None:
    """Serve the pages of APP over HTTP, routed as platformOS routes them.

    app/views/pages/orders/show.liquid answers /orders/show, or the slug its
    front matter sets (slug: orders/:id); method, layout, format, redirect_to
    and response_headers come from front matter too (see docs/pages.md).
    A request's jobs and events are queued only if its page rendered.
    Templates are re-read when they change; Ctrl-C or SIGTERM stops the server (and
    the worker, which finishes its running jobs first).

    \b
    Examples:
      liqueue serve examples/shop --with-worker
      liqueue serve examples/shop --with-worker --concurrency 8
      liqueue serve myapp --port 8080 --workers 2
    """
    from liqueue.web.server import serve as run_server  # uvicorn loads only here

    problems = [p for p in app.check() if p.severity == "error"]
    for problem in problems:
        click.echo(f"{problem.location}: {problem.severity}: {problem.message}", err=True)
    run_server(
        app,
        host=host,
        port=port,
        workers=workers,
        with_worker=with_worker,
        concurrency=concurrency,
        grace_seconds=grace,
        reload=reload,
        access_log=access_log,
    )


def register(group: click.Group) -> None:
    group.add_command(serve)
