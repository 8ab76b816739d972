from __future__ import annotations

from pathlib import Path

import pytest

from liqueue.config import AppConfig, parse_duration
from liqueue.errors import ConfigError
from liqueue.jobs import Priority


def test_defaults_are_the_platforms() -> None:
    config = AppConfig()
    assert {n: p.time_limit for n, p in config.priorities.items()} == {
        "high": 60.0,
        "default": 300.0,
        "low": 14400.0,
    }
    assert tuple(config.backoff.schedule) == (5.0, 30.0, 120.0, 600.0)


def test_loads_settings(tmp_path: Path) -> None:
    (tmp_path / "liqueue.yml").write_text(
        "retry_backoff: [1s, 2s]\nretry_jitter: 0\npriorities:\n  low: {time_limit: 1h, weight: 2}\n"
        "keep_done: 1d\nlimits: {loop_iterations: 10}\nconstants: {API: x}\n"
    )
    config = AppConfig.load(tmp_path)
    assert tuple(config.backoff.schedule) == (1.0, 2.0)
    assert config.priorities[Priority.LOW].time_limit == 3600.0
    assert config.priorities[Priority.LOW].weight == 2
    assert config.priorities[Priority.HIGH].weight == 6
    assert config.keep_done_seconds == 86400.0
    assert config.limits.loop_iterations == 10
    assert config.constants == {"API": "x"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("retry_backof: [1]\n", "unknown setting"),
        ("priorities:\n  urgent: {weight: 1}\n", "unknown priority 'urgent'"),
        ("keep_done: soon\n", "not a duration"),
        ("a: [\n", "liqueue.yml:2: invalid YAML"),
        ("- 1\n", "expected a mapping"),
    ],
)
def test_bad_settings_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "liqueue.yml").write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        AppConfig.load(tmp_path)
    assert "liqueue.yml" in str(info.value)


def test_parse_duration() -> None:
    assert parse_duration("500ms") == 0.5
    assert parse_duration("10m") == 600.0
    assert parse_duration(3) == 3.0
    assert parse_duration("7d") == 7 * 86400.0


@pytest.mark.parametrize("typo", ["-5", "-1m", -3, "nan", "inf", float("inf"), "1e400s"])
def test_a_duration_is_never_negative_nor_endless(typo: object) -> None:
    with pytest.raises(ValueError, match=r"^not a duration: .*(negative|too large|not a number)"):
        parse_duration(typo)
