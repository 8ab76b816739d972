"""`liqueue schedules`: each schedule, its next run times and how its last run ended."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import click

from liqueue.app import App
from liqueue.cli._common import echo_json, table, with_app
from liqueue.policies import Schedule
from liqueue.store.policy_rows import ScheduleRun

NEXT_RUNS = 3


@click.command(short_help="Cron schedules: next run times, last outcome.")
@with_app
@click.option("--json", "as_json", is_flag=True, help="Print the schedules as JSON.")
def schedules(app: App, as_json: bool) -> None:
    """List the schedules of APP (schedules: in liqueue.yml and app/schedules/*.yml).

    For each: its cron expression and time zone, the partial it queues, its
    next three run times (in the schedule's time zone) and how the job of
    its last tick ended (scheduled, running, done, dead, ...). Workers queue
    the ticks: each exactly once, however many run.

    \b
    Example:
      liqueue schedules shop
      liqueue schedules shop --json | jq '.[].next'
    """
    defined = app.policies.schedules
    runs = app.store.last_ticks() if defined else {}
    now = app.clock.now()
    if as_json:
        echo_json([_json(schedule, runs.get(schedule.name), now) for schedule in defined])
        return
    if not defined:
        click.echo("no schedules (add them under schedules: in liqueue.yml)")
        return
    headers = ["NAME", "CRON", "PARTIAL", "NEXT RUNS", "LAST RUN"]
    rows = [
        [
            schedule.name,
            f"{schedule.cron} ({schedule.timezone})",
            schedule.partial,
            ", ".join(_local(schedule, at) for at in schedule.next_ticks(now, NEXT_RUNS)),
            _last(schedule, runs.get(schedule.name)),
        ]
        for schedule in defined
    ]
    click.echo(table(headers, rows))


def _local(schedule: Schedule, at: float) -> str:
    return datetime.fromtimestamp(at, ZoneInfo(schedule.timezone)).strftime("%Y-%m-%d %H:%M:%S")


def _last(schedule: Schedule, run: ScheduleRun | None) -> str:
    if run is None:
        return "never"
    outcome = run.state or "pruned"
    if run.error_message and run.state in ("retry", "dead"):
        outcome += f": {run.error_message}"
    return f"{_local(schedule, run.tick_at)} {outcome} (job {run.job_id})"


def _json(schedule: Schedule, run: ScheduleRun | None, now: float) -> dict[str, object]:
    return {
        "name": schedule.name,
        "cron": schedule.cron,
        "timezone": schedule.timezone,
        "partial": schedule.partial,
        "source_name": schedule.job_source_name,
        "missed": schedule.missed,
        "next": [
            datetime.fromtimestamp(at, ZoneInfo(schedule.timezone)).isoformat()
            for at in schedule.next_ticks(now, NEXT_RUNS)
        ],
        "last": None
        if run is None
        else {
            "tick_at": datetime.fromtimestamp(run.tick_at, ZoneInfo(schedule.timezone)).isoformat(),
            "job_id": run.job_id,
            "state": run.state,
            "error": run.error_message,
        },
    }


def register(group: click.Group) -> None:
    group.add_command(schedules)
