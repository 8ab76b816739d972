"""`liqueue render`: render one page or partial, and queue what it asks for."""

from __future__ import annotations

import json
from typing import Any

import click

from liqueue.app import App
from liqueue.cli._common import echo_json, to_jsonable, when, with_app
from liqueue.jobs import JobSpec, JobState
from liqueue.liquid.values import load_json
from liqueue.logs import format_line
from liqueue.outbox import Outbox


def parse_param(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", ctx, param)
        try:
            params[key.strip()] = load_json(raw)
        except json.JSONDecodeError as err:
            if raw.lstrip()[:1] in ("{", "["):
                # Meant as an object or a list: a typo must not pass as text.
                raise click.BadParameter(
                    f"{key.strip()}: not valid JSON: {err} (a value starting with "
                    "{ or [ is read as JSON; for the text, quote it: "
                    f"{key.strip()}='\"...\"')",
                    ctx,
                    param,
                ) from None
            params[key.strip()] = raw  # not JSON: keep the text as it was typed
        except ValueError as err:
            raise click.BadParameter(f"{key.strip()}: {err}", ctx, param) from None
    return params


def parse_params_json(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> dict[str, Any]:
    if value is None:
        return {}
    try:
        data = load_json(value)
    except json.JSONDecodeError as err:
        raise click.BadParameter(f"not valid JSON: {err}", ctx, param) from None
    except ValueError as err:
        raise click.BadParameter(str(err), ctx, param) from None
    if not isinstance(data, dict):
        raise click.BadParameter("expected a JSON object, e.g. '{\"user_id\": 5}'", ctx, param)
    return data


@click.command(short_help="Render a page or partial; queue its jobs.")
@with_app
@click.argument("template")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    callback=parse_param,
    help="A variable for the template (repeatable). VALUE is read as JSON when it is "
    'JSON, else as text: user_id=5 gives the number 5, name=Ann the text "Ann", '
    "name='\"5\"' the text \"5\", tags='[1,2]' a list (one starting with { or [ "
    "must be JSON).",
)
@click.option(
    "--params-json",
    "params_json",
    metavar="JSON",
    callback=parse_params_json,
    help="All variables at once as a JSON object; --param values override its keys.",
)
@click.option("--dry-run", is_flag=True, help="Render only; queue nothing (show what would be).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print output, jobs, events and logs as one JSON object.",
)
def render(
    app: App,
    template: str,
    params: dict[str, Any],
    params_json: dict[str, Any],
    dry_run: bool,
    as_json: bool,
) -> None:
    """Render TEMPLATE (a page, or a partial) of APP and print its output.

    TEMPLATE is a page name (`index`, `orders/show`) or a partial name as
    `include` would write it. Unless --dry-run, the jobs and events it asks for
    are queued, in one transaction, exactly as a request would queue them, and
    listed on stderr (so stdout holds only the rendered output). Log entries
    written with {% log %} are shown on stderr too.

    Render a partial on its own before wrapping it in {% background %}: its
    errors show at once, with file and line, rather than in a failing job.

    \b
    Examples:
      liqueue render shop index
      liqueue render shop retry-strategies --param order='{"id": 7}'
      liqueue render shop emails/welcome -p user_id=123 -p email=user@example.com
      liqueue render shop checkout --params-json '{"cart": [1, 2]}' --dry-run
    """
    variables = {**params_json, **params}
    result = app.render(template, variables, enqueue=not dry_run)
    now = app.clock.now() if result.queued_at is None else result.queued_at
    duplicates = {} if dry_run else _duplicates(app, result.outbox)
    queued = _queued(result.outbox, dry_run, now, duplicates)
    if as_json:
        echo_json(
            {
                "output": result.output,
                "queued": not dry_run,
                **queued,
                "logs": [entry.to_json() for entry in result.outbox.logs],
            }
        )
        return
    click.echo(result.output, nl=not result.output.endswith("\n"))
    for entry in result.outbox.logs:
        click.echo(format_line(entry), err=True)
    _echo_queued(queued, dry_run, now)


def _duplicates(app: App, outbox: Outbox) -> dict[str, str]:
    """Unique jobs that lost a race with a concurrent render: the store refused them
    at insert, and their ids name the jobs holding their keys (job id -> holder)."""
    found = {}
    for spec in outbox.jobs:
        if spec.unique_key is not None:
            holder = app.store.get_job(spec.id).id
            if holder != spec.id:
                found[spec.id] = holder
    return found


def _queued(
    outbox: Outbox, dry_run: bool, now: float, duplicates: dict[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """What the render queued (or would queue), from its outbox: once stored, its
    events as their schemas judged them, and their consumer jobs."""
    consumers = {spec.id: spec for spec in outbox.jobs if spec.event_id is not None}
    jobs = [
        {
            "id": spec.id,
            "duplicate_of": duplicates.get(spec.id),
            "source_name": spec.source_name,
            "priority": spec.priority,
            "max_attempts": spec.max_attempts,
            "delay_minutes": spec.delay_minutes,
            "run_at": spec.run_at(now),
            "origin": str(spec.origin),
        }
        for spec in outbox.jobs
        if spec.event_id is None
    ]
    events = []
    for event in outbox.events:
        data = to_jsonable(event)
        if dry_run:
            data["valid"] = None  # unknown: the schema runs only when the event is published
        else:
            data["consumer_jobs"] = [_consumer(consumers[i], now) for i in event.job_ids]
        events.append(data)
    return {"jobs": jobs, "events": events}


def _consumer(spec: JobSpec, now: float) -> dict[str, Any]:
    return {
        "id": spec.id,
        "source_name": spec.source_name,
        "priority": spec.priority,
        "run_at": spec.run_at(now),
        "state": str(JobState.SCHEDULED),  # as every job is queued
    }


def _echo_queued(queued: dict[str, list[dict[str, Any]]], dry_run: bool, now: float) -> None:
    verb = "would queue" if dry_run else "queued"
    for job in queued["jobs"]:
        if job["duplicate_of"]:
            click.echo(
                f"job {job['id']} {job['source_name']} not queued: job {job['duplicate_of']} "
                "holds its unique key",
                err=True,
            )
            continue
        click.echo(
            f"{verb} job {job['id']} {job['source_name']} priority={job['priority']} "
            f"delay={job['delay_minutes']:g}m run_at={when(job['run_at'], now)}",
            err=True,
        )
    for event in queued["events"]:
        if dry_run:  # not validated yet: the schema runs when the event is published
            click.echo(f"would publish event {event['id']} {event['type']}", err=True)
            continue
        status = "valid" if event["valid"] else "INVALID: " + "; ".join(event["errors"])
        click.echo(f"published event {event['id']} {event['type']} ({status})", err=True)
        for job in event.get("consumer_jobs", []):
            click.echo(
                f"  consumer job {job['id']} {job['source_name']} priority={job['priority']} "
                f"run_at={when(job['run_at'], now)}",
                err=True,
            )
    if not queued["jobs"] and not queued["events"]:
        click.echo(f"{verb} nothing", err=True)


def register(group: click.Group) -> None:
    group.add_command(render)
