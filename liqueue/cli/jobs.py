"""`liqueue jobs ...`: list, inspect, retry, cancel and delete jobs."""

from __future__ import annotations

import json

import click

from liqueue.app import App
from liqueue.cli._common import (
    DefaultGroup,
    echo_json,
    short_ids,
    shorten,
    table,
    to_jsonable,
    when,
    with_app,
)
from liqueue.errors import StoreError
from liqueue.jobs import Job, JobState
from liqueue.logs import ATTEMPT_TYPE, LogEntry, format_line, format_log_time
from liqueue.policy_status import reached_through, waiting_reason
from liqueue.store import JobQuery, LogQuery
from liqueue.store.retry import retry_jobs

STATES = [state.value for state in JobState]
SHORT = "List, show, retry, cancel, delete jobs."


@click.group(cls=DefaultGroup, default="list", short_help=SHORT)
def jobs() -> None:
    """Inspect and repair the jobs of an application.

    `liqueue jobs APP` is short for `liqueue jobs list APP`. ID is a job id
    or any unique prefix of it, as `list` shows it.

    \b
    Examples:
      liqueue jobs shop --state dead
      liqueue jobs show shop 01a2224d-9012-7dc2
      liqueue jobs retry shop 01a2224d-9012-7dc2 01a2224d-9012-7b2a
      liqueue jobs retry shop --all-dead
      liqueue jobs cancel shop 01a2224d-9012-7dc2
      liqueue jobs delete shop 01a2224d-9012-7dc2
    """


@jobs.command("list", short_help="List jobs: state, attempts, run_at, error.")
@with_app(readonly=True)
@click.option("--state", type=click.Choice(STATES), help="Only jobs in this state.")
@click.option("--source-name", metavar="NAME", help="Only jobs with this source_name.")
@click.option(
    "-n",
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(min=1),
    help="Show at most N jobs.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the jobs as a JSON array.")
def list_jobs(
    app: App, state: str | None, source_name: str | None, limit: int, as_json: bool
) -> None:
    """List the jobs of APP: id, state, priority, source_name, attempts, run_at, last error.

    \b
    States: scheduled (waiting for run_at, or due), running, retry (failed,
    waiting for its next attempt), dead (out of attempts), done, cancelled.

    \b
    Examples:
      liqueue jobs list shop
      liqueue jobs list shop --state retry --source-name payment_gateway
      liqueue jobs list shop --state dead --json
    """
    query = JobQuery(state=JobState(state) if state else None, source_name=source_name, limit=limit)
    found = app.store.list_jobs(query)
    if as_json:
        echo_json(found)
    elif not found:
        click.echo("no jobs")
    else:
        _echo_jobs(app, found)
    if len(found) == limit:
        _say_how_many_more(app, query, limit)


def _echo_jobs(app: App, found: list[Job]) -> None:
    now = app.clock.now()
    rows = [
        [
            short_id,
            job.state.value,
            job.priority,
            job.source_name,
            f"{job.attempt}/{job.max_attempts}",
            when(job.run_at, now),
            shorten(_error(job), 80),
        ]
        for job, short_id in zip(found, short_ids([job.id for job in found]), strict=True)
    ]
    headers = ["ID", "STATE", "PRIORITY", "SOURCE_NAME", "ATTEMPT", "RUN_AT", "LAST ERROR"]
    click.echo(table(headers, rows))


@jobs.command(short_help="Everything about one job, attempts included.")
@with_app(readonly=True)
@click.argument("job_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the job and its log as JSON.")
def show(app: App, job_id: str, as_json: bool) -> None:
    """Show everything about one job: fields, arguments, body, attempts and log.

    The body is numbered from the line it starts at in its file, so the
    numbers match the file and the error locations. The id a render handed
    out for a duplicate of a unique job (one that lost a race with another
    render) shows the job holding its unique key.

    \b
    Example:
      liqueue jobs show shop 01a2224d-9012-7dc2
    """
    # Rows written by Python code (or before a secret was named) may hold one.
    job = app.secrets.mask_value(app.store.get_job(job_id))
    entries = app.secrets.mask_value(app.store.read_logs(LogQuery(job_id=job.id)))
    reached = reached_through(job_id, job)
    if as_json:
        duplicate = job_id.strip().lower() if reached else None
        logs = [e.to_json() for e in entries]
        echo_json({"job": to_jsonable(job), "logs": logs, "duplicate_id": duplicate})
        return
    now = app.clock.now()
    fields: list[tuple[str, object]] = [
        ("id", job.id),
        ("state", job.state.value),
        ("source_name", job.source_name),
        ("priority", job.priority),
        ("attempt", f"{job.attempt}/{job.max_attempts}"),
        ("origin", job.origin),
        ("partial", job.partial),
        ("event", job.event_id),
        ("created_at", when(job.created_at, now)),
        ("run_at", when(job.run_at, now)),
        ("started_at", when(job.started_at, now)),
        ("finished_at", when(job.finished_at, now)),
        ("worker", job.worker_id),
        ("lease_until", when(job.lease_until, now)),
        ("error", _error(job)),
    ]
    if waiting := waiting_reason(app.policies, app.store, job, now):  # policy_status.py
        fields.append(("waiting", waiting))
    if reached:
        fields.append(("asked", reached))
    click.echo(table(["FIELD", "VALUE"], fields).split("\n", 1)[1])
    _section("arguments", json.dumps(job.arguments, indent=2, ensure_ascii=False, default=str))
    if job.context:
        _section("context", json.dumps(job.context, indent=2, ensure_ascii=False, default=str))
    if job.body is not None:
        _section(f"body ({job.origin})", _numbered(job.body, job.origin.line or 1))
    attempts = [e for e in entries if e.type == ATTEMPT_TYPE]
    _section("attempts", "\n".join(_attempt(e) for e in attempts) or "none yet")
    others = [e for e in entries if e.type != ATTEMPT_TYPE]
    _section("log", "\n".join(format_line(e) for e in others) or "no entries")


def _section(title: str, text: str) -> None:
    click.echo(f"\n{title}:")
    click.echo("\n".join("  " + line for line in text.splitlines()))


def _numbered(body: str, first: int) -> str:
    lines = body.splitlines()
    # A block body starts right after `%}`: when nothing follows the tag on
    # its line, the first real line is the next one.
    if lines and not lines[0].strip():
        lines, first = lines[1:], first + 1
    while lines and not lines[-1].strip():
        lines.pop()
    width = len(str(first + len(lines)))
    return "\n".join(f"{n:>{width}} | {text}" for n, text in enumerate(lines, first))


def _attempt(entry: LogEntry) -> str:
    parts = [
        f"[{format_log_time(entry.at)}]",
        f"attempt {entry.attempt}/{entry.max_attempts}",
        entry.status or "?",
        f"{entry.duration_ms}ms",
    ]
    text = "  ".join(parts)
    if entry.status == "FAILED":
        text += "  " + entry.message.split(f"{entry.duration_ms}ms - ", 1)[-1]
    return text


def _say_how_many_more(app: App, query: JobQuery, shown: int) -> None:
    """On stderr, so `--json` and pipes hold only the jobs."""
    total = sum(
        count
        for line in app.store.stats()
        if query.source_name is None or line.source_name == query.source_name
        for state, count in line.counts.items()
        if query.state is None or state == query.state.value
    )
    if total > shown:
        click.echo(
            f"showing the newest {shown} of {total} jobs: {total - shown} more "
            f"(see them with -n {total}, or narrow with --state / --source-name)",
            err=True,
        )


def _error(job: Job) -> str | None:
    if not job.error_message:
        return None
    text = f"{job.error_class}: {job.error_message}" if job.error_class else job.error_message
    return f"{text} ({job.error_location})" if job.error_location else text


@jobs.command(short_help="Run dead or failed jobs again now.")
@with_app(readonly=True)
@click.argument("job_ids", metavar="ID...", nargs=-1)
@click.option("--all-dead", is_flag=True, help="Retry every dead job.")
def retry(app: App, job_ids: tuple[str, ...], all_dead: bool) -> None:
    """Run dead, cancelled or retrying jobs again now, with fresh attempts.

    Exits 1 if any ID named a job that cannot be retried (scheduled, running, done).

    \b
    Examples:
      liqueue jobs retry shop 01a2224d-9012-7dc2
      liqueue jobs retry shop --all-dead
    """
    if bool(job_ids) == all_dead:
        raise click.UsageError("give job IDs or --all-dead (not both)")
    now = app.clock.now()
    if all_dead:
        count = app.store.retry_all_dead(now)
        click.echo(f"retrying {count} dead job{'' if count == 1 else 's'}")
        return
    refused = 0
    for job in retry_jobs(app.store, job_ids, now):
        if job.retried:
            click.echo(f"retrying {job.id} (was {job.was.value}, now {job.now.value})")
        else:
            refused += 1
            click.echo(f"not retried {job.id}: it is {job.now.value} (only dead, cancelled "
                       "and retrying jobs can be retried)", err=True)  # fmt: skip
    if refused:
        raise SystemExit(1)


@jobs.command(short_help="Cancel a job that has not started.")
@with_app(readonly=True)
@click.argument("job_id", metavar="ID")
def cancel(app: App, job_id: str) -> None:
    """Cancel a job that has not started: it will never run (it can be retried later).

    \b
    Example:
      liqueue jobs cancel shop 01a2224d-9012-7dc2
    """
    job = app.store.get_job(job_id)
    app.store.cancel_job(job.id, app.clock.now())
    click.echo(f"cancelled {job.id} ({job.source_name})")


@jobs.command(short_help="Delete a job and its log entries.")
@with_app(readonly=True)
@click.argument("job_id", metavar="ID")
def delete(app: App, job_id: str) -> None:
    """Delete a job and its log entries for good (no confirmation is asked).

    \b
    Example:
      liqueue jobs delete shop 01a2224d-9012-7dc2
    """
    job = app.store.get_job(job_id)
    if job.state is JobState.RUNNING:
        raise StoreError(_running_advice(job, app.clock.now()))
    app.store.delete_job(job.id)
    click.echo(f"deleted {job.id} ({job.source_name}, {job.state.value})")


def _running_advice(job: Job, now: float) -> str:
    # A running job cannot be cancelled either: only its attempt ending frees it.
    return (
        f"job {job.id} is running (worker {job.worker_id or '?'}, lease until "
        f"{when(job.lease_until, now)}): delete it once the attempt ends; to end it "
        "sooner, stop that worker (Ctrl-C hands the job back) and delete it then"
    )


def register(group: click.Group) -> None:
    group.add_command(jobs)
