"""Per-application settings, read from `liqueue.yml` at the application's root.

Every key is optional; the defaults are the platform's behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from liqueue.api_calls.settings import HttpSettings
from liqueue.errors import ConfigError
from liqueue.functions import parse_entry_points
from liqueue.jobs import Backoff, Priority
from liqueue.jobs.backoff import DEFAULT_SCHEDULE
from liqueue.policies import NO_POLICIES, Policies, parse_policies
from liqueue.secrets import parse_secret_names
from liqueue.services import ServiceSpec, parse_services

CONFIG_FILE = "liqueue.yml"


@dataclass(frozen=True)
class Limits:
    """Resource limits of one render, so a runaway template cannot take the worker."""

    loop_iterations: int = 1_000_000
    output_bytes: int = 10_000_000
    include_depth: int = 30
    local_namespace_bytes: int = 50_000_000


@dataclass(frozen=True)
class PriorityConfig:
    weight: int
    time_limit: float  # seconds


# Weights decide how claims share out between priorities: out of every 10
# claims, high gets 6, default 3, low 1 while all three have due jobs, so low
# jobs keep moving under a flood of high ones. Time limits are the platform's.
DEFAULT_PRIORITIES: dict[Priority, PriorityConfig] = {
    Priority.HIGH: PriorityConfig(weight=6, time_limit=60.0),
    Priority.DEFAULT: PriorityConfig(weight=3, time_limit=300.0),
    Priority.LOW: PriorityConfig(weight=1, time_limit=4 * 3600.0),
}


@dataclass(frozen=True)
class AppConfig:
    database_url: str | None = None
    limits: Limits = field(default_factory=Limits)
    priorities: dict[Priority, PriorityConfig] = field(
        default_factory=lambda: dict(DEFAULT_PRIORITIES)
    )
    backoff: Backoff = field(default_factory=Backoff)
    lease_seconds: float = 30.0
    # An idle worker looks for due jobs this often even without a wake-up, so
    # jobs still start when notifications are lost (a pooler in transaction
    # mode drops LISTEN) or were written by something that sends none.
    poll_seconds: float = 5.0
    keep_done_seconds: float = 7 * 86400.0
    keep_dead_seconds: float = 30 * 86400.0
    constants: dict[str, Any] = field(default_factory=dict)
    environment: str = "development"
    http: HttpSettings = field(default_factory=HttpSettings)
    secrets: dict[str, str] = field(default_factory=dict)  # template name -> env variable
    functions: tuple[str, ...] = ()  # `module:attribute` entry points of host functions
    services: tuple[ServiceSpec, ...] = ()
    policies: Policies = NO_POLICIES  # schedules: and sources: (liqueue/policies.py)

    @classmethod
    def load(cls, root: Path) -> AppConfig:
        path = root / CONFIG_FILE
        if not path.exists():
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark else str(path)
            raise ConfigError(f"{where}: invalid YAML: {err}") from err
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of settings")
        try:
            return _from_mapping(data)
        except (TypeError, ValueError) as err:
            raise ConfigError(f"{path}: {err}") from err


def _from_mapping(data: dict[str, Any]) -> AppConfig:
    known = {
        "database_url", "limits", "priorities", "retry_backoff", "retry_jitter",
        "lease_seconds", "poll_interval", "keep_done", "keep_dead", "constants", "environment",
        "http", "secrets", "functions", "services", "schedules", "sources",
    }  # fmt: skip
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(
            f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    priorities = dict(DEFAULT_PRIORITIES)
    for name, raw in (data.get("priorities") or {}).items():
        priority = Priority.named(name)
        if priority is None:
            raise ValueError(f"priorities: unknown priority {name!r}")
        base = priorities[priority]
        priorities[priority] = PriorityConfig(
            weight=int(raw.get("weight", base.weight)),
            time_limit=parse_duration(raw.get("time_limit", base.time_limit)),
        )
        if priorities[priority].weight < 1:
            raise ValueError(f"priorities.{priority}.weight must be at least 1")
    schedule = tuple(parse_duration(v) for v in data.get("retry_backoff", DEFAULT_SCHEDULE))
    if not schedule:
        raise ValueError("retry_backoff needs at least one wait")
    return AppConfig(
        database_url=data.get("database_url"),
        limits=Limits(**(data.get("limits") or {})),
        priorities=priorities,
        backoff=Backoff(schedule=schedule, jitter=float(data.get("retry_jitter", 0.1))),
        lease_seconds=parse_duration(data.get("lease_seconds", 30.0)),
        poll_seconds=parse_duration(data.get("poll_interval", 5.0)),
        keep_done_seconds=parse_duration(data.get("keep_done", "7d")),
        keep_dead_seconds=parse_duration(data.get("keep_dead", "30d")),
        constants=dict(data.get("constants") or {}),
        environment=str(data.get("environment", "development")),
        http=HttpSettings.parse(data.get("http"), parse_duration),
        secrets=parse_secret_names(data.get("secrets")),
        functions=parse_entry_points(data.get("functions")),
        services=parse_services(data.get("services")),
        policies=parse_policies(data.get("schedules"), data.get("sources")),
    )


_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value: object) -> float:
    """Seconds from a number or a text like `500ms`, `5s`, `10m`, `4h`, `7d`."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        for unit in sorted(_UNITS, key=len, reverse=True):
            if text.endswith(unit):
                number = text.removesuffix(unit).strip()
                try:
                    return float(number) * _UNITS[unit]
                except ValueError:
                    break
        try:
            return float(text)
        except ValueError:
            pass
    raise ValueError(f"not a duration: {value!r} (use seconds or 500ms, 5s, 10m, 4h, 7d)")
