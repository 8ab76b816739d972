"""`liqueue stats`: per source_name counts, success rate and durations."""

from __future__ import annotations

import math
from collections.abc import Sequence

import click

from liqueue.app import App
from liqueue.cli._common import echo_json, table, with_app
from liqueue.jobs import JobState
from liqueue.store import SourceStats

STATES = [state.value for state in JobState]


@click.command(short_help="Per source_name: states, success %, durations.")
@with_app
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats(app: App, as_json: bool) -> None:
    """Show, per source_name, jobs by state, success rate and attempt durations.

    SUCCESS% is the share of finished attempts that succeeded; P50, P95 and
    MAX are attempt durations in milliseconds; RETRIES counts attempts beyond
    each job's first. Descriptive source names (email_send_welcome rather
    than job) make this table worth reading.

    \b
    Example:
      liqueue stats shop
      liqueue stats shop --json | jq '.[] | select(.dead > 0)'
    """
    if as_json:
        echo_json(stats_rows(app))
        return
    click.echo(stats_table(app))


def stats_rows(app: App) -> list[dict[str, object]]:
    return [_row(s) for s in sorted(app.store.stats(), key=lambda s: s.source_name)]


def stats_table(app: App) -> str:
    rows = stats_rows(app)
    if not rows:
        return "no jobs yet"
    headers = [
        "SOURCE_NAME",
        *(s.upper() for s in STATES),
        "SUCCESS%",
        "P50",
        "P95",
        "MAX",
        "RETRIES",
    ]
    return table(headers, [list(row.values()) for row in rows])


def _row(stat: SourceStats) -> dict[str, object]:
    rate = stat.success_rate
    durations = sorted(stat.durations_ms)
    return {
        "source_name": stat.source_name,
        **{state: stat.counts.get(state, 0) for state in STATES},
        "success_rate": None if rate is None else round(rate * 100, 1),
        "p50_ms": _percentile(durations, 50),
        "p95_ms": _percentile(durations, 95),
        "max_ms": durations[-1] if durations else None,
        "retries": stat.retries,
    }


def _percentile(ordered: Sequence[int], pct: int) -> int | None:
    """Nearest-rank percentile: always a duration that was really measured."""
    if not ordered:
        return None
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def register(group: click.Group) -> None:
    group.add_command(stats)
