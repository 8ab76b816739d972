"""`liqueue logs`: every log entry, one line each, in time order, made to be grepped."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterable
from typing import Literal

import click

from liqueue.app import App
from liqueue.cli import _style
from liqueue.cli._common import duration_option, with_app
from liqueue.logs import LogEntry, format_json
from liqueue.store import LogQuery

FOLLOW_INTERVAL = 0.2  # seconds between polls: new lines show at once, the store barely notices


def _slower_than(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    seconds = duration_option(value)
    return None if seconds is None else math.ceil(seconds * 1000)


@click.command(short_help="Print every log entry and job attempt (grep-able).")
@with_app(readonly=True)
@click.option("--source-name", metavar="NAME", help="Only entries of jobs with this source_name.")
@click.option(
    "--status",
    type=click.Choice(["SUCCESS", "FAILED"], case_sensitive=False),
    help="Only attempt lines with this outcome.",
)
@click.option(
    "--type",
    "--filter",
    "type_",
    metavar="TYPE",
    help="Only entries of this type (`attempt`, `info`, `error`, or your own). "
    "--filter is pos-cli's spelling.",
)
@click.option("--job", "job_id", metavar="ID", help="Only entries written by this job.")
@click.option(
    "--since",
    metavar="DURATION",
    callback=lambda _ctx, _param, value: duration_option(value),
    help="Only entries newer than this: 30s, 10m, 2h, 1d.",
)
@click.option(
    "--slower-than",
    "min_duration_ms",
    metavar="DURATION",
    callback=_slower_than,
    help="Only attempts that took this long or longer: 500ms, 2s.",
)
@click.option("--follow", "-f", is_flag=True, help="Keep printing new entries until Ctrl-C.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line instead of text.")
@click.option(
    "-n",
    "--lines",
    "limit",
    type=click.IntRange(min=1),
    help="Only the newest N entries (still oldest first). Default: the whole log.",
)
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Entry lines only: no note on stderr when nothing matches (as pos-cli's -q).",
)
def logs(
    app: App,
    source_name: str | None,
    status: str | None,
    type_: str | None,
    job_id: str | None,
    since: float | None,
    min_duration_ms: int | None,
    follow: bool,
    as_json: bool,
    limit: int | None,
    quiet: bool,
) -> None:
    """Print the whole log of APP in time order: {% log %} entries and one line per job attempt.

    Each line reads `[2026-11-28 12:00:00.123Z] - type: message` (UTC);
    attempt lines read `[attempt 2/3] - send_email - FAILED - 812ms - <error>`.
    Every entry is printed, read from the store a page at a time, so
    `liqueue logs APP | grep FAILED` sees them all however long the log; -n N
    keeps the newest N. Entries are ordered by their time: a long job's lines
    sit where they were written, not where the job ended.

    \b
    Examples:
      liqueue logs shop | grep attempt
      liqueue logs shop | grep FAILED | grep send_email
      liqueue logs shop --slower-than 500ms
      liqueue logs shop | grep attempt | grep -E '[5-9][0-9]{2}ms|[1-9][0-9]{3}ms'
      liqueue logs shop --source-name payment_gateway --status FAILED
      liqueue logs shop --filter email -n 20
      liqueue logs shop --since 10m -f          # tail, until Ctrl-C
      liqueue logs shop --json | jq .duration_ms

    \b
    Slow attempts with grep: write digits as [0-9] (or use grep -P). GNU
    grep -E reads \\d as the letter d, so '[5-9]\\d{2}ms' silently matches
    nothing; --slower-than needs no regular expression at all.
    """
    query = LogQuery(
        source_name=source_name,
        status=_status(status),
        type=type_,
        job_id=app.store.get_job(job_id).id if job_id else None,  # a prefix is enough
        since=app.clock.now() - since if since is not None else None,
        last=limit,
        min_duration_ms=min_duration_ms,
    )
    show = format_json if as_json else _style.log_line
    printed, last_id = _print(app.store.iter_logs(query), show, 0)
    if not printed and not quiet and not follow and sys.stdout.isatty():
        click.echo(_nothing(query), err=True)
    if not follow:
        return
    query.last = None
    query.since = None  # after_id takes over: nothing older than what is shown can come
    try:
        while True:
            time.sleep(FOLLOW_INTERVAL)
            query.after_id = last_id
            # New rows come by id (cheap); within a poll, in time order like the rest.
            found = sorted(app.store.read_logs(query), key=lambda e: (e.at, e.id or 0))
            last_id = max([last_id, *(e.id or 0 for e in found)])
            if min_duration_ms is not None:  # read_logs does not filter by duration
                found = [e for e in found if (e.duration_ms or 0) >= min_duration_ms]
            _print(found, show, last_id)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how one stops following: not an error


def _nothing(query: LogQuery) -> str:
    filtered = any(
        value is not None
        for value in (
            query.source_name,
            query.status,
            query.type,
            query.job_id,
            query.since,
            query.min_duration_ms,
        )
    )
    if filtered:
        return "no log entries match these filters"
    return "no log entries yet (jobs and {% log %} write them)"


def _status(value: str | None) -> Literal["SUCCESS", "FAILED"] | None:
    if value is None:
        return None
    return "SUCCESS" if value.upper() == "SUCCESS" else "FAILED"


def _print(
    entries: Iterable[LogEntry], show: Callable[[LogEntry], str], last_id: int
) -> tuple[int, int]:
    printed = 0
    for entry in entries:
        _style.echo(show(entry))
        printed += 1
        last_id = max(last_id, entry.id or 0)
    return printed, last_id


def register(group: click.Group) -> None:
    group.add_command(logs)
