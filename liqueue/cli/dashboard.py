"""`liqueue dashboard`, `liqueue pause`, `liqueue resume`: see and steer the queue."""

from __future__ import annotations

import click

from liqueue.app import App
from liqueue.cli._common import table, with_app
from liqueue.logs import LogEntry, format_time
from liqueue.store.pauses import PauseTarget


@click.command(short_help="Serve the dashboard, JSON API and /metrics on their own.")
@with_app
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
def dashboard(app: App, host: str, port: int) -> None:
    """Serve the dashboard of APP at http://HOST:PORT/_liqueue/ (API under /_liqueue/api/).

    `liqueue serve` mounts the same dashboard at /_liqueue/. Beyond
    127.0.0.1 it needs a credential: $LIQUEUE_DASHBOARD_TOKEN, or the
    environment variable liqueue.yml names in dashboard: password:.

    \b
    Examples:
      liqueue dashboard shop
      LIQUEUE_DASHBOARD_TOKEN=... liqueue dashboard shop --host 0.0.0.0
    """
    from liqueue.web.dashboard.standalone import serve_dashboard  # uvicorn loads only here

    serve_dashboard(app, host=host, port=port)


def _target(priority: str | None, source_name: str | None) -> PauseTarget:
    if bool(priority) == bool(source_name):
        raise click.UsageError("give --priority or --source-name (one of them)")
    try:
        if priority:
            return PauseTarget.parse("priority", priority)
        return PauseTarget.parse("source_name", source_name or "")
    except ValueError as err:
        raise click.UsageError(str(err)) from None


def _audit(app: App, what: str) -> None:
    app.store.add_logs([LogEntry(at=app.clock.now(), type="audit", message=f"cli: {what}")])


@click.command(short_help="Pause a priority or source_name (its jobs wait), or list pauses.")
@with_app
@click.option("--priority", metavar="NAME", help="high, default or low.")
@click.option("--source-name", metavar="NAME", help="Jobs with this source_name.")
def pause(app: App, priority: str | None, source_name: str | None) -> None:
    """Stop every worker from claiming jobs of a priority or source_name.

    The jobs wait (nothing is lost) until `liqueue resume`. Without
    options, list what is paused.

    \b
    Examples:
      liqueue pause shop --source-name email_send_newsletter
      liqueue pause shop --priority low
      liqueue pause shop
    """
    if not priority and not source_name:
        found = app.store.list_pauses()
        if not found:
            click.echo("nothing is paused")
            return
        rows = [
            [p.target.kind, p.target.name, format_time(p.paused_at)[:19], p.paused_by]
            for p in found
        ]
        click.echo(table(["KIND", "NAME", "SINCE", "BY"], rows))
        return
    target = _target(priority, source_name)
    if app.store.pause(target, app.clock.now(), "cli"):
        _audit(app, f"pause {target.kind} {target.name}")
        click.echo(f"paused {target.kind} {target.name}: its jobs wait until `liqueue resume`")
    else:
        click.echo(f"{target.kind} {target.name} was already paused")


@click.command(short_help="Resume a paused priority or source_name.")
@with_app
@click.option("--priority", metavar="NAME", help="high, default or low.")
@click.option("--source-name", metavar="NAME", help="Jobs with this source_name.")
def resume(app: App, priority: str | None, source_name: str | None) -> None:
    """Let workers claim the jobs of a paused priority or source_name again.

    \b
    Example:
      liqueue resume shop --source-name email_send_newsletter
    """
    target = _target(priority, source_name)
    if app.store.resume(target):
        _audit(app, f"resume {target.kind} {target.name}")
        click.echo(f"resumed {target.kind} {target.name}")
    else:
        click.echo(f"{target.kind} {target.name} was not paused")


def register(group: click.Group) -> None:
    for command in (dashboard, pause, resume):
        group.add_command(command)
