"""Schedules: parsing, which ticks are due (missed-tick policy), the CLI and check."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from liqueue.app import App
from liqueue.cli import cli
from liqueue.policies import ON_TIME_SECONDS, ScheduledTick, parse_schedules
from liqueue.store import open_store
from tests.apps import write_app


def _schedule(**settings: object):  # type: ignore[no-untyped-def]
    return parse_schedules({"s": {"partial": "p", **settings}}, "liqueue.yml")[0]


def _at(text: str, zone: str = "UTC") -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp()


def test_on_time_ticks_are_each_due() -> None:
    every_second = _schedule(cron="* * * * * *")
    now = _at("2030-01-01 12:00:10")
    assert every_second.due_ticks(now - 3, now, since=0) == [now - 2, now - 1, now]


def test_a_new_schedule_starts_after_the_worker_started() -> None:
    every_second = _schedule(cron="* * * * * *")
    now = _at("2030-01-01 12:00:10")
    assert every_second.due_ticks(None, now, since=now - 1.5) == [now - 1, now]


def test_missed_last_runs_the_newest_missed_tick_once() -> None:
    hourly = _schedule(cron="0 * * * *")
    last = _at("2030-01-01 08:00:00")
    now = _at("2030-01-01 12:20:00")  # 08..12 missed while no worker ran
    assert hourly.due_ticks(last, now, since=now) == [_at("2030-01-01 12:00:00")]
    # ...and once queued, it is not due again.
    assert hourly.due_ticks(_at("2030-01-01 12:00:00"), now, since=now) == []


def test_missed_skip_drops_missed_ticks() -> None:
    hourly = _schedule(cron="0 * * * *", missed="skip")
    now = _at("2030-01-01 12:20:00")
    assert hourly.due_ticks(_at("2030-01-01 08:00:00"), now, since=now) == []
    # A tick only seconds late is on time, not missed.
    late = _at("2030-01-01 13:00:00") + ON_TIME_SECONDS / 2
    assert hourly.due_ticks(now, late, since=now) == [_at("2030-01-01 13:00:00")]


def test_time_zone_of_a_schedule() -> None:
    daily = _schedule(cron="0 3 * * *", timezone="Europe/Warsaw")
    after = _at("2030-07-01 00:00:00", "Europe/Warsaw")
    first = daily.next_ticks(after, 1)[0]
    assert first == _at("2030-07-01 03:00:00", "Europe/Warsaw")
    assert first == _at("2030-07-01 01:00:00")  # summer time: UTC+2


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"cron": "61 * * * *"}, "schedules.s.cron: '61 * * * *' is not a cron expression"),
        ({"cron": "* * * * *", "timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"cron": "* * * * *", "missed": "all"}, "schedules.s.missed"),
        ({"cron": "* * * * *", "priority": "urgent"}, "schedules.s.priority"),
        ({"cron": "* * * * *", "max_attempts": 9}, "schedules.s.max_attempts"),
        ({"cron": "* * * * *", "every": 5}, "unknown key(s) every"),
    ],
)
def test_bad_schedules_are_refused(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        _schedule(**settings)


def test_a_bad_schedule_in_liqueue_yml_is_one_line_naming_the_file(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app", {}, 'schedules:\n  s: {partial: p, cron: "every day"}\n')
    result = CliRunner().invoke(cli, ["schedules", str(app)])
    assert result.exit_code == 1
    assert result.output.startswith("error: ")
    assert "liqueue.yml:2: schedules.s.cron: 'every day' is not a cron expression" in result.output


def test_check_reports_a_missing_partial_at_its_line(tmp_path: Path) -> None:
    config = 'schedules:\n  good: {partial: tick, cron: "* * * * *"}\n  bad: {partial: nope, cron: "* * * * *"}\n'
    app = write_app(tmp_path / "app", {"views/partials/tick.liquid": "hi"}, config)
    result = CliRunner().invoke(cli, ["check", str(app)])
    assert result.exit_code == 1
    assert "liqueue.yml:3: error: schedule 'bad': partial 'nope' not found" in result.output
    assert "'good'" not in result.output


def test_schedule_files_under_app_schedules(tmp_path: Path) -> None:
    app_dir = write_app(tmp_path / "app", {"views/partials/tick.liquid": "hi"})
    (app_dir / "app" / "schedules").mkdir()
    (app_dir / "app" / "schedules" / "reports.yml").write_text(
        'weekly:\n  partial: tick\n  cron: "0 9 * * 1"\n'
    )
    with App(app_dir) as app:
        assert [(s.name, s.file) for s in app.policies.schedules] == [
            ("weekly", "app/schedules/reports.yml")
        ]


def test_cli_lists_next_runs_and_last_outcome(tmp_path: Path) -> None:
    config = 'schedules:\n  nightly:\n    partial: tick\n    cron: "30 2 * * *"\n    timezone: Asia/Tokyo\n'
    app_dir = write_app(tmp_path / "app", {"views/partials/tick.liquid": "hi"}, config)
    runner = CliRunner()
    result = runner.invoke(cli, ["schedules", str(app_dir)])
    assert result.exit_code == 0, result.output
    assert "nightly" in result.output and "30 2 * * * (Asia/Tokyo)" in result.output
    assert result.output.count("02:30:00") == 3  # the next three runs, in Tokyo time
    assert "never" in result.output
    with App(app_dir) as app:
        schedule = app.policies.schedules[0]
        tick = schedule.previous_tick(app.clock.now())
        queued = app.store.queue_ticks([ScheduledTick("nightly", tick, schedule.job(tick))], tick)
        again = app.store.queue_ticks([ScheduledTick("nightly", tick, schedule.job(tick))], tick)
        assert len(queued) == 1 and again == []
    result = runner.invoke(cli, ["schedules", str(app_dir)])
    assert f"scheduled (job {queued[0]})" in result.output
    assert "never" not in result.output


def test_prune_keeps_the_newest_tick(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    schedule = dataclasses.replace(_schedule(cron="* * * * * *"), name="s")
    store.queue_ticks([ScheduledTick("s", t, schedule.job(t)) for t in (10.0, 11.0, 12.0)], 12.0)
    assert store.prune_ticks(before=100.0) == 2
    assert store.last_ticks()["s"].tick_at == 12.0
    store.close()
