"""`liqueue stats`: per source_name counts, success rate and durations."""

from __future__ import annotations

import click

from liqueue.app import App
from liqueue.cli._common import duration_option, echo_json, table, with_app
from liqueue.store.stats import STATES, SourceReport, stats_report


@click.command(short_help="Per source_name: states, job and attempt success, durations.")
@with_app(readonly=True)
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@click.option(
    "--since",
    default="24h",
    show_default=True,
    help="Attempts (success, durations, retries) from this long ago on; `all`: every "
    "attempt kept. Job counts by state are always current.",
)
def stats(app: App, as_json: bool, since: str) -> None:
    """Show, per source_name, jobs by state, success rates and attempt durations.

    JOB_OK is the share of finished jobs that succeeded (done / (done + dead));
    ATTEMPT_OK the share of finished attempts that succeeded (a job that
    succeeds on its third attempt counts one success in three); P50, P95 and
    MAX are attempt durations; RETRIES counts attempts beyond each job's
    first; DUPLICATES (with unique sources) counts unique jobs refused
    because an equal one was queued. Descriptive source names
    (email_send_welcome rather than job) make this table worth reading.

    \b
    Example:
      liqueue stats shop
      liqueue stats shop --json | jq '.[] | select(.dead > 0)'
      liqueue stats shop --since all     # slower on a large store: reads every attempt
    """
    window = None if since == "all" else duration_option(since)
    # A window reads the per-minute aggregates, as the dashboard does: the same
    # figures, in constant time at any size; `all` reads every attempt kept.
    report = (
        stats_report(app.store.stats())
        if window is None
        else app.store.window_report(app.clock.now() - window)
    )
    refused = app.store.unique_refusals() if app.policies.sources else {}
    if as_json:
        lines = [line.to_json() for line in report]
        if app.policies.sources:
            lines = [{**j, "duplicates": refused.get(str(j["source_name"]), 0)} for j in lines]
        echo_json(lines)
        return
    click.echo(stats_table(report, refused))


def stats_table(report: list[SourceReport], refused: dict[str, int] | None = None) -> str:
    if not report:
        return "no jobs yet"
    headers = [
        "SOURCE_NAME",
        *(s.upper() for s in STATES),
        "JOB_OK",
        "ATTEMPT_OK",
        "P50",
        "P95",
        "MAX",
        "RETRIES",
        *(["DUPLICATES"] if refused else []),
    ]
    rows = [
        [
            line.source_name,
            *line.counts.values(),
            _pct(line.job_success_pct),
            _pct(line.success_pct),
            _ms(line.p50_ms),
            _ms(line.p95_ms),
            _ms(line.max_ms),
            line.retries,
            *([refused.get(line.source_name, 0)] if refused else []),
        ]
        for line in report
    ]
    return table(headers, rows)


def _pct(value: float | None) -> str | None:
    return None if value is None else f"{value:g}%"


def _ms(value: int | None) -> str | None:
    return None if value is None else f"{value}ms"


def register(group: click.Group) -> None:
    group.add_command(stats)
