"""Per-application settings, read from `liqueue.yml` at the application's root.

Every key is optional; the defaults are the platform's behaviour.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import yaml

from liqueue.api_calls.settings import HttpSettings
from liqueue.errors import ConfigError
from liqueue.functions import parse_entry_points
from liqueue.jobs import Backoff, Priority
from liqueue.jobs.backoff import DEFAULT_SCHEDULE
from liqueue.policies import NO_POLICIES, Policies, parse_policies
from liqueue.secrets import parse_secret_names
from liqueue.services import ServiceSpec, parse_services
from liqueue.yamltext import KeyPath, YamlRefused, load_yaml

CONFIG_FILE = "liqueue.yml"

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one render, so a runaway template cannot take the worker.

    Each is a positive whole number; docs/settings.md says what each bounds.
    """

    loop_iterations: int = 1_000_000
    output_bytes: int = 10_000_000
    include_depth: int = 30
    local_namespace_bytes: int = 50_000_000
    template_bytes: int = 1_000_000
    job_arguments_bytes: int = 1_000_000
    log_bytes: int = 1_000_000
    jobs_per_render: int = 10_000


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
    # `dashboard:` as written; web/dashboard/access.py reads it.
    dashboard: dict[str, Any] = field(default_factory=dict)
    policies: Policies = NO_POLICIES  # schedules: and sources: (liqueue/policies.py)

    @classmethod
    def load(cls, root: Path) -> AppConfig:
        """The settings in `root/liqueue.yml`; ConfigError naming the file, line and
        key of the first wrong one."""
        path = root / CONFIG_FILE
        if not path.exists():
            return cls()
        if not path.is_file():
            raise ConfigError(f"{path}: not a file")
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise ConfigError(f"{path}: cannot be read: {err.strerror or err}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = raw.count(b"\n", 0, err.start) + 1
            raise ConfigError(f"{path}:{line}: not UTF-8 text: save the file as UTF-8") from None
        try:
            data, lines = load_yaml(text)
        except YamlRefused as err:
            raise ConfigError(f"{path}:{err.line}: {err.message}") from None
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f"{path}:{mark.line + 1}" if mark else str(path)
            problem = getattr(err, "problem", None) or str(err)
            raise ConfigError(f"{where}: invalid YAML: {' '.join(problem.split())}") from None
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise ConfigError(f"{path}:1: expected a mapping of settings (key: value lines)")
        try:
            return _from_mapping(data)
        except SettingInvalid as err:
            key_line = _line_of(lines, err.key)
            where = f"{path}:{key_line}" if key_line else str(path)
            raise ConfigError(f"{where}: {'.'.join(err.key)}: {err}") from None


class SettingInvalid(ValueError):
    """The value at `key` (a path of keys) is wrong; the message says why."""

    def __init__(self, key: KeyPath, message: str) -> None:
        super().__init__(message)
        self.key = key


def _line_of(lines: dict[KeyPath, int], key: KeyPath) -> int | None:
    for end in range(len(key), 0, -1):
        line = lines.get(key[:end])
        if line is not None:
            return line
    return None


_KNOWN = (
    "database_url", "limits", "priorities", "retry_backoff", "retry_jitter",
    "lease_seconds", "poll_interval", "keep_done", "keep_dead", "constants", "environment",
    "http", "secrets", "functions", "services", "dashboard", "schedules", "sources",
)  # fmt: skip

# Heartbeats renew a lease every third of it; below a second a slow database
# round trip lets it lapse, and another worker runs the job a second time.
MIN_LEASE_SECONDS = 1.0
MIN_POLL_SECONDS = 0.01
# Far beyond any real wait, and small enough that timestamps stay finite.
MAX_DURATION_SECONDS = 100 * 365 * 86400.0


def _from_mapping(data: dict[Any, Any]) -> AppConfig:
    _only_known(data, _KNOWN, ())
    priorities = dict(DEFAULT_PRIORITIES)
    given = _mapping(data.get("priorities"), ("priorities",))
    for name, raw in given.items():
        key = ("priorities", str(name))
        priority = Priority.named(name)
        if priority is None:
            known = ", ".join(member.value for member in Priority)
            raise SettingInvalid(key, f"unknown priority {name!r}; known: {known}")
        values = _mapping(raw, key)
        _only_known(values, ("weight", "time_limit"), key)
        base = priorities[priority]
        priorities[priority] = PriorityConfig(
            weight=_whole(values.get("weight", base.weight), (*key, "weight")),
            time_limit=_duration(
                values.get("time_limit", base.time_limit), (*key, "time_limit"), positive=True
            ),
        )
    schedule = _schedule(data.get("retry_backoff", DEFAULT_SCHEDULE))
    return AppConfig(
        database_url=_text(data.get("database_url"), ("database_url",), optional=True),
        limits=_limits(data.get("limits")),
        priorities=priorities,
        backoff=Backoff(schedule=schedule, jitter=_jitter(data.get("retry_jitter", 0.1))),
        lease_seconds=_duration(
            data.get("lease_seconds", 30.0), ("lease_seconds",), minimum=MIN_LEASE_SECONDS
        ),
        poll_seconds=_duration(
            data.get("poll_interval", 5.0), ("poll_interval",), minimum=MIN_POLL_SECONDS
        ),
        keep_done_seconds=_duration(data.get("keep_done", "7d"), ("keep_done",)),
        keep_dead_seconds=_duration(data.get("keep_dead", "30d"), ("keep_dead",)),
        constants=_constants(data.get("constants")),
        environment=_text(data.get("environment", "development"), ("environment",)) or "",
        http=_section("http", data, lambda raw: HttpSettings.parse(raw, parse_duration)),
        secrets=_section("secrets", data, parse_secret_names),
        functions=_section("functions", data, parse_entry_points),
        services=_section("services", data, parse_services),
        dashboard=_mapping(data.get("dashboard"), ("dashboard",)),
        policies=_policies(data),
    )


def _section(name: str, data: dict[Any, Any], parse: Callable[[object], T]) -> T:
    """A section whose own parser says what is wrong with it."""
    try:
        return parse(data.get(name))
    except ValueError as err:
        raise _placed(name, err) from None


_KEY_PATH = re.compile(r"(?P<key>[A-Za-z_]\w*(?:\.[\w.-]+)*): (?P<problem>.*)", re.S)


def _placed(section: str, err: ValueError) -> SettingInvalid:
    """A section parser's `key.path: problem` message as a SettingInvalid at that key."""
    message = str(err)
    match = _KEY_PATH.match(message)
    if match and match["key"].split(".")[0] == section:
        return SettingInvalid(tuple(match["key"].split(".")), match["problem"])
    return SettingInvalid((section,), message)


def _policies(data: dict[Any, Any]) -> Policies:
    try:
        return parse_policies(data.get("schedules"), data.get("sources"))
    except ValueError as err:
        raise _placed("sources" if str(err).startswith("sources") else "schedules", err) from None


def _only_known(values: dict[Any, Any], known: tuple[str, ...], key: KeyPath) -> None:
    for name in values:
        if name not in known:
            what = "setting" if not key else "key"
            raise SettingInvalid(
                (*key, str(name)), f"unknown {what}; known: {', '.join(sorted(known))}"
            )


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return repr(value)


def _mapping(value: object, key: KeyPath) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SettingInvalid(key, f"expected a mapping (name: value), got {_kind(value)}")
    return value


def _whole(value: object, key: KeyPath, minimum: int = 1) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingInvalid(key, f"expected a whole number, got {_kind(value)}")
    if value < minimum:
        raise SettingInvalid(key, f"must be at least {minimum}, got {value}")
    return value


def _duration(
    value: object, key: KeyPath, *, minimum: float = 0.0, positive: bool = False
) -> float:
    try:
        seconds = _seconds(value)  # the bounds below, in a setting's own words
    except ValueError as err:
        raise SettingInvalid(key, str(err)) from None
    if not math.isfinite(seconds) or seconds > MAX_DURATION_SECONDS:
        raise SettingInvalid(key, f"must be at most 100 years, got {value!r}")
    if positive and seconds <= 0:
        raise SettingInvalid(key, f"must be more than 0, got {value!r}")
    if seconds < minimum:
        raise SettingInvalid(key, f"must be at least {minimum:g}s, got {value!r}")
    return seconds


def _schedule(value: object) -> tuple[float, ...]:
    key = ("retry_backoff",)
    if not isinstance(value, list | tuple):
        raise SettingInvalid(key, f"expected a list of waits such as [5s, 30s], got {_kind(value)}")
    if not value:
        raise SettingInvalid(key, "needs at least one wait")
    return tuple(_duration(v, (*key, str(i))) for i, v in enumerate(value))


def _jitter(value: object) -> float:
    key = ("retry_jitter",)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingInvalid(key, f"expected a fraction such as 0.1, got {_kind(value)}")
    if not 0 <= value < 1:
        raise SettingInvalid(key, f"must be at least 0 and less than 1, got {value!r}")
    return float(value)


def _text(value: object, key: KeyPath, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise SettingInvalid(key, f"expected text, got {_kind(value)}; quote it")
    return value


def _limits(value: object) -> Limits:
    key = ("limits",)
    given = _mapping(value, key)
    names = tuple(f.name for f in fields(Limits))
    _only_known(given, names, key)
    return Limits(**{name: _whole(raw, (*key, name)) for name, raw in given.items()})


def _constants(value: object) -> dict[str, Any]:
    key = ("constants",)
    constants = _mapping(value, key)
    _json_data(constants, key)
    return dict(constants)


def _json_data(value: object, key: KeyPath) -> None:
    """Constants reach templates and JSON: text, numbers, booleans, null, lists, mappings."""
    if isinstance(value, dict):
        for name, item in value.items():
            if not isinstance(name, str):
                raise SettingInvalid((*key, str(name)), "names must be text; quote it")
            _json_data(item, (*key, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _json_data(item, (*key, str(index)))
    elif isinstance(value, float) and not math.isfinite(value):
        raise SettingInvalid(key, f"{value!r} is not a JSON number")
    elif value is not None and not isinstance(value, str | int | float | bool):
        raise SettingInvalid(
            key, f"a {type(value).__name__} is not a JSON value; quote it to keep it as text"
        )


_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(value: object) -> float:
    """Seconds from a number or a text like `500ms`, `5s`, `10m`, `4h`, `7d`.

    Never negative, infinite or NaN: `--grace -5` or `--since nan` is a typo
    that must not pass as no grace at all or an empty window.
    """
    seconds = _seconds(value)
    if math.isnan(seconds):
        raise ValueError(f"not a duration: {value!r} is not a number")
    if seconds < 0:
        raise ValueError(f"not a duration: {value!r} (a duration cannot be negative)")
    if math.isinf(seconds):
        raise ValueError(f"not a duration: {value!r} is too large")
    return seconds


def _seconds(value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            raise ValueError(f"not a duration: {value!r} is too large") from None
    if isinstance(value, str):
        text = value.strip()
        for unit in sorted(_UNITS, key=len, reverse=True):
            if text.endswith(unit):
                number = text.removesuffix(unit).strip()
                try:
                    return float(number) * _UNITS[unit]
                except (ValueError, OverflowError):
                    break
        try:
            return float(text)
        except ValueError:
            pass
    raise ValueError(f"not a duration: {value!r} (use seconds or 500ms, 5s, 10m, 4h, 7d)")
