"""`liqueue logs`: log entries, one line each, made to be grepped."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

import click

from liqueue.app import App
from liqueue.cli._common import duration_option, with_app
from liqueue.logs import LogEntry, format_json, format_line
from liqueue.store import LogQuery

FOLLOW_INTERVAL = 0.2  # seconds between polls: new lines show at once, the store barely notices


@click.command(short_help="Print log entries and job attempts (grep-able).")
@with_app
@click.option("--source-name", metavar="NAME", help="Only entries of jobs with this source_name.")
@click.option(
    "--status",
    type=click.Choice(["SUCCESS", "FAILED"], case_sensitive=False),
    help="Only attempt lines with this outcome.",
)
@click.option(
    "--type",
    "type_",
    metavar="TYPE",
    help="Only entries of this type (`attempt`, `info`, `error`, or your own).",
)
@click.option("--job", "job_id", metavar="ID", help="Only entries written by this job.")
@click.option(
    "--since",
    metavar="DURATION",
    callback=lambda _ctx, _param, value: duration_option(value),
    help="Only entries newer than this: 30s, 10m, 2h, 1d.",
)
@click.option("--follow", "-f", is_flag=True, help="Keep printing new entries until Ctrl-C.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of text.")
@click.option(
    "-n",
    "--lines",
    "limit",
    default=100,
    show_default=True,
    type=click.IntRange(min=1),
    help="Print the newest N entries (oldest first).",
)
def logs(
    app: App,
    source_name: str | None,
    status: str | None,
    type_: str | None,
    job_id: str | None,
    since: float | None,
    follow: bool,
    as_json: bool,
    limit: int,
) -> None:
    """Print the log of APP: {% log %} entries and one line per job attempt.

    Each line reads `[2026-11-28 12:00:00.123] - type: message`; attempt lines
    read `[attempt 2/3] - send_email - FAILED - 812ms - <error>`, so the usual
    grep recipes work.

    \b
    Examples:
      liqueue logs shop | grep attempt
      liqueue logs shop | grep FAILED | grep send_email
      liqueue logs shop | grep attempt | grep -E '[5-9][0-9]{2}ms|[1-9][0-9]{3}ms'
      liqueue logs shop --source-name payment_gateway --status FAILED
      liqueue logs shop --since 10m -f          # tail, until Ctrl-C
      liqueue logs shop --json | jq .duration_ms
    """
    query = LogQuery(
        source_name=source_name,
        status=_status(status),
        type=type_,
        job_id=app.store.get_job(job_id).id if job_id else None,  # a prefix is enough
        since=app.clock.now() - since if since is not None else None,
        last=limit,
    )
    show = format_json if as_json else format_line
    last_id = _print(app.store.read_logs(query), show, 0)
    if not follow:
        return
    query.last = None
    query.since = None  # after_id takes over: nothing older than what is shown can come
    try:
        while True:
            time.sleep(FOLLOW_INTERVAL)
            query.after_id = last_id
            last_id = _print(app.store.read_logs(query), show, last_id)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how one stops following: not an error


def _status(value: str | None) -> Literal["SUCCESS", "FAILED"] | None:
    if value is None:
        return None
    return "SUCCESS" if value.upper() == "SUCCESS" else "FAILED"


def _print(entries: list[LogEntry], show: Callable[[LogEntry], str], last_id: int) -> int:
    for entry in entries:
        click.echo(show(entry))
        last_id = max(last_id, entry.id or 0)
    return last_id


def register(group: click.Group) -> None:
    group.add_command(logs)
