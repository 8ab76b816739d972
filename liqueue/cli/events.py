"""`liqueue trigger` and `liqueue events ...`: publish, list, inspect, republish events."""

from __future__ import annotations

import json
from typing import Any

import click

from liqueue.app import App
from liqueue.cli._common import DefaultGroup, echo_json, table, to_jsonable, when, with_app
from liqueue.errors import ConfigError
from liqueue.events.event import Event, origin_text
from liqueue.store.event_jobs import consumer_jobs

SHORT = "List, show, republish events."


def _parse_data(_ctx: click.Context, _param: click.Parameter, value: str) -> dict[str, Any]:
    # A ConfigError is reported as one `error:` line, not click's usage screen.
    try:
        data = json.loads(value)
    except json.JSONDecodeError as err:
        raise ConfigError(f"--data is not valid JSON: {err}") from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"--data must be a JSON object such as '{{\"order_id\": 7}}', got {value.strip()!r}"
        )
    return data


@click.command(short_help="Publish an event, as {% trigger_event %} would.")
@with_app
@click.argument("event_type", metavar="TYPE")
@click.option(
    "--data",
    "payload",
    default="{}",
    metavar="JSON",
    callback=_parse_data,
    show_default=True,
    help="The event's payload, a JSON object.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the stored event as JSON.")
def trigger(app: App, event_type: str, payload: dict[str, Any], as_json: bool) -> None:
    """Publish an event of TYPE, as {% trigger_event %} would.

    The event is validated by app/lib/events/TYPE.liquid when that schema
    exists; if valid, every consumer in app/lib/consumers/TYPE/ is queued as
    its own job. Exits 1 if the event is invalid (it is stored, no consumer runs).

    \b
    Example:
      liqueue trigger shop order.created --data '{"order_id": 42}'
    """
    record = app.trigger_event(event_type, payload)
    if as_json:
        echo_json(_event_json(app, record))
    else:
        _echo_event(app, record)
    if not record.valid:
        raise SystemExit(1)


@click.group(cls=DefaultGroup, default="list", short_help=SHORT)
def events() -> None:
    """List, inspect and republish events.

    `liqueue events APP` is short for `liqueue events list APP`. ID is an
    event id (as `list` and `trigger` print it).

    \b
    Examples:
      liqueue events shop --type order.created
      liqueue events show shop 01a2224d-9012-7dc2-97d7-6b8e338baea5
      liqueue events republish shop 01a2224d-9012-7dc2-97d7-6b8e338baea5
    """


@events.command("list", short_help="List events, newest first.")
@with_app(readonly=True)
@click.option("--type", "event_type", metavar="TYPE", help="Only events of this type.")
@click.option(
    "-n",
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(min=1),
    help="Show at most N events.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the events as a JSON array.")
def list_events(app: App, event_type: str | None, limit: int, as_json: bool) -> None:
    """List the events of APP, newest first: id, type, time, validity, consumer jobs.

    \b
    Example:
      liqueue events list shop --type order.created
    """
    found = app.store.list_events(event_type, limit)
    if as_json:
        echo_json([_event_data(e) for e in found])
    elif not found:
        click.echo("no events")
    else:
        now = app.clock.now()
        rows = [
            [e.id, e.type, when(e.at, now), _validity(e), len(e.job_ids), e.origin] for e in found
        ]
        click.echo(table(["ID", "TYPE", "AT", "VALID", "JOBS", "ORIGIN"], rows))
    if len(found) == limit:
        total = app.store.count_events(event_type)
        if total > limit:  # on stderr, so `--json` and pipes hold only the events
            click.echo(
                f"showing the newest {limit} of {total} events: {total - limit} more "
                f"(see them with -n {total}, or narrow with --type)",
                err=True,
            )


@events.command(short_help="An event: payload, validity, consumer jobs.")
@with_app(readonly=True)
@click.argument("event_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the event and its jobs as JSON.")
def show(app: App, event_id: str, as_json: bool) -> None:
    """Show one event: payload, validity and errors, and the state of every consumer job.

    ID is the event's id or any unique prefix of it.

    \b
    Example:
      liqueue events show shop 01a2224d-9012-7dc2-97d7-6b8e338baea5
    """
    record = app.store.get_event(event_id)
    if as_json:
        echo_json(_event_json(app, record))
    else:
        _echo_event(app, record)


@events.command(short_help="Publish a stored event again.")
@with_app(readonly=True)
@click.argument("event_id", metavar="ID")
def republish(app: App, event_id: str) -> None:
    """Publish a stored event again: same type and payload, a new id, new consumer jobs.

    Use it after fixing a consumer, or to replay an event that was invalid.
    ID is the event's id or any unique prefix of it. Exits 1 if the event is
    still invalid (it is stored again, no consumer runs).

    \b
    Example:
      liqueue events republish shop 01a2224d-9012-7dc2-97d7-6b8e338baea5
    """
    original, record = app.republish_event(event_id)
    click.echo(f"republished {original.id} as {record.id}")
    _echo_event(app, record)
    if not record.valid:  # stored again, but no consumer runs: not what was asked
        raise SystemExit(1)


def _validity(record: Event) -> str:
    return "valid" if record.valid else "INVALID"  # plain: colour codes would break the columns


def _echo_event(app: App, record: Event) -> None:
    now = app.clock.now()
    click.echo(f"event {record.id} {record.type}")
    click.echo(f"  at       {when(record.at, now)}")
    click.echo(f"  origin   {record.origin or '-'}")
    click.echo(f"  valid    {'yes' if record.valid else 'NO'}")
    for error in record.errors:
        click.echo(f"  error    {error}")
    click.echo(
        "  payload  "
        + json.dumps(record.payload, indent=2, ensure_ascii=False, default=str).replace(
            "\n", "\n  "
        )
    )
    if not record.job_ids:
        click.echo("  no consumer jobs")
        return
    rows: list[list[object]] = []
    for consumer in consumer_jobs(app.store, record.job_ids):
        job = consumer.job
        if job is None:
            rows.append([consumer.id, "(pruned)", None, None, None])
            continue
        rows.append(
            [
                job.id,
                job.state.value,
                job.source_name,
                f"{job.attempt}/{job.max_attempts}",
                when(job.run_at, now),
            ]
        )
    lines = table(["JOB", "STATE", "SOURCE_NAME", "ATTEMPT", "RUN_AT"], rows).splitlines()
    click.echo("\n".join("  " + line for line in lines))


def _event_data(record: Event) -> dict[str, Any]:
    data: dict[str, Any] = to_jsonable(record)
    data["origin"] = origin_text(record.origin)  # as stored: `path:line` or `python`
    return data


def _event_json(app: App, record: Event) -> dict[str, Any]:
    data = _event_data(record)
    data["jobs"] = [
        {"id": c.id, "state": None} if c.job is None else to_jsonable(c.job)
        for c in consumer_jobs(app.store, record.job_ids)
    ]
    return data


def register(group: click.Group) -> None:
    group.add_command(trigger)
    group.add_command(events)
