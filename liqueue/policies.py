"""Schedules and flow control: `schedules:` and `sources:` in `liqueue.yml`.

The `background` tag keeps exactly its four options, so these policies live
in configuration, keyed by schedule name and by source_name:

    schedules:
      nightly_digest:
        partial: emails/digest
        cron: "0 3 * * *"          # croniter; a 6th field is seconds
        timezone: Europe/Warsaw
        arguments: {kind: daily}
        missed: last               # or skip
    sources:
      send_digest:
        unique: {for: 10m, by: [user_id]}
        concurrency: 2
        rate: 10/s

This module parses and validates them (vocabulary: it imports no room) and
computes what both the render and the store need: a job's unique key, and
the ticks of a schedule.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from croniter import croniter

from liqueue.errors import ConfigError
from liqueue.jobs import JobSpec, Priority
from liqueue.logs import LogEntry

MissedPolicy = Literal["last", "skip"]
MISSED_POLICIES: Final = ("last", "skip")

# A tick queued at most this late is on time; later, it was missed (no worker ran).
ON_TIME_SECONDS: Final = 30.0
# However long no worker ran, a schedule never queues more than this many ticks at once.
MAX_TICKS_AT_ONCE: Final = 100

SCHEDULES_DIR: Final = "app/schedules"
UNIQUE_LOG_TYPE: Final = "unique"

_DURATION = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(ms|s|m|h|d)?\s*$")
_UNITS: Final = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(s|m|h|sec|second|min|minute|hour)\s*$")
_RATE_UNITS: Final = {"s": 1.0, "sec": 1.0, "second": 1.0, "m": 60.0, "min": 60.0}
_RATE_UNITS_MORE: Final = {"minute": 60.0, "h": 3600.0, "hour": 3600.0}


@dataclass(frozen=True)
class Schedule:
    """A partial queued on a cron expression, once per tick however many workers run."""

    name: str
    partial: str
    cron: str
    timezone: str = "UTC"
    arguments: dict[str, Any] = field(default_factory=dict)
    priority: str = "default"
    max_attempts: int = 1
    source_name: str | None = None
    missed: MissedPolicy = "last"
    file: str = "liqueue.yml"  # where it is defined, for messages

    @property
    def job_source_name(self) -> str:
        return self.source_name or self.partial

    def due_ticks(self, last: float | None, now: float, since: float) -> list[float]:
        """The ticks to queue at `now`, oldest first, given the newest one queued.

        Ticks at most ON_TIME_SECONDS late are on time: each is queued. Older
        ones were missed (no worker ran): `missed: last` queues the newest
        missed tick once when no on-time tick follows it, `skip` drops them.
        A schedule never queued before has missed nothing: its first tick is
        the first after `since` (when the asking worker started).
        """
        window_start = now - ON_TIME_SECONDS
        after = max(window_start, since) if last is None else max(last, window_start)
        on_time: list[float] = []
        for tick in self._iterate(after):
            if tick > now or len(on_time) >= MAX_TICKS_AT_ONCE:
                break
            on_time.append(tick)
        if on_time or last is None or self.missed == "skip":
            return on_time
        newest = self.previous_tick(now)
        return [newest] if newest > last else []

    def next_ticks(self, after: float, count: int) -> list[float]:
        ticks: list[float] = []
        for tick in self._iterate(after):
            ticks.append(tick)
            if len(ticks) == count:
                break
        return ticks

    def previous_tick(self, at_or_before: float) -> float:
        """The newest tick at or before a time (ticks fall on whole seconds)."""
        start = datetime.fromtimestamp(at_or_before + 0.001, ZoneInfo(self.timezone))
        return float(croniter(self.cron, start).get_prev(float))

    def _iterate(self, after: float) -> Iterator[float]:
        start = datetime.fromtimestamp(after, ZoneInfo(self.timezone))
        iterator = croniter(self.cron, start)
        while True:
            yield float(iterator.get_next(float))

    def job(self, tick_at: float, origin_line: int = 0) -> JobSpec:
        """The job of one tick: its context says which schedule and tick queued it."""
        from liqueue.errors import Location

        at = datetime.fromtimestamp(tick_at, ZoneInfo(self.timezone)).isoformat()
        return JobSpec(
            source_name=self.job_source_name,
            origin=Location(self.file, origin_line),
            partial=self.partial,
            arguments=dict(self.arguments),
            priority=self.priority,
            max_attempts=self.max_attempts,
            context={"location": {"schedule": self.name, "tick_at": at}},
        )


@dataclass(frozen=True)
class ScheduledTick:
    """One tick of one schedule and the job it queues, if no other worker queued it first."""

    schedule_name: str
    tick_at: float
    job: JobSpec


@dataclass(frozen=True)
class UniquePolicy:
    by: tuple[str, ...] = ()  # argument names; none: one job of the source at a time
    for_seconds: float = 0.0  # a finished job still holds its key this long


@dataclass(frozen=True)
class Rate:
    count: int
    per_seconds: float

    def __str__(self) -> str:
        unit = {1.0: "s", 60.0: "m", 3600.0: "h"}.get(self.per_seconds, f"{self.per_seconds:g}s")
        return f"{self.count}/{unit}"


@dataclass(frozen=True)
class SourcePolicy:
    unique: UniquePolicy | None = None
    concurrency: int | None = None
    rate: Rate | None = None

    @property
    def limited(self) -> bool:
        return self.concurrency is not None or self.rate is not None


@dataclass(frozen=True)
class Policies:
    schedules: tuple[Schedule, ...] = ()
    sources: dict[str, SourcePolicy] = field(default_factory=dict)

    @property
    def limits(self) -> dict[str, SourcePolicy]:
        """Sources with a concurrency or rate limit: only these take the limited claim."""
        return {name: policy for name, policy in self.sources.items() if policy.limited}

    def unique_key(self, spec: JobSpec) -> tuple[str, float] | None:
        """(key, seconds a finished job keeps it) of a job whose source is unique."""
        policy = self.sources.get(spec.source_name)
        if policy is None or policy.unique is None:
            return None
        return unique_key(
            spec.source_name, policy.unique, spec.arguments
        ), policy.unique.for_seconds

    def stamp(self, spec: JobSpec) -> JobSpec:
        """The spec with its unique key set when its source is unique."""
        keyed = self.unique_key(spec) if self.sources else None
        if keyed is None:
            return spec
        return replace(spec, unique_key=keyed[0], unique_for=keyed[1])

    def with_schedules(self, more: tuple[Schedule, ...]) -> Policies:
        names = {s.name for s in self.schedules}
        for schedule in more:
            if schedule.name in names:
                raise ConfigError(f"{schedule.file}: schedule {schedule.name!r} is defined twice")
            names.add(schedule.name)
        return Policies(schedules=(*self.schedules, *more), sources=self.sources)


NO_POLICIES: Final = Policies()


def unique_key(source_name: str, policy: UniquePolicy, arguments: Mapping[str, Any]) -> str:
    """The source name and the named arguments' values, hashed to a short fixed key."""
    values = [arguments.get(name) for name in policy.by]
    text = json.dumps([source_name, *values], sort_keys=True, separators=(",", ":"), default=str)
    return f"{source_name}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def describe_unique(policy: UniquePolicy, arguments: Mapping[str, Any]) -> str:
    shown = ", ".join(f"{name}={json.dumps(arguments.get(name))}" for name in policy.by)
    return shown or "(no arguments: one job at a time)"


# parsing


def parse_policies(schedules: object, sources: object, file: str = "liqueue.yml") -> Policies:
    """`schedules:` and `sources:` of liqueue.yml; ValueError names the entry at fault."""
    return Policies(
        schedules=parse_schedules(schedules, file),
        sources=parse_sources(sources),
    )


def load_schedule_files(root: Path, policies: Policies) -> Policies:
    """Add the schedules of `app/schedules/*.yml` (each file a mapping of schedules)."""
    folder = root / SCHEDULES_DIR
    if not folder.is_dir():
        return policies
    for path in sorted(folder.glob("*.yml")):
        relative = path.relative_to(root).as_posix()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f"{relative}:{mark.line + 1}" if mark else relative
            raise ConfigError(f"{where}: invalid YAML: {err}") from err
        try:
            policies = policies.with_schedules(parse_schedules(data, relative))
        except ValueError as err:
            raise ConfigError(f"{relative}: {err}") from err
    return policies


_SCHEDULE_KEYS: Final = {
    "partial", "cron", "timezone", "arguments", "priority", "max_attempts", "source_name",
    "missed",
}  # fmt: skip


def parse_schedules(data: object, file: str) -> tuple[Schedule, ...]:
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise ValueError("schedules: expected a mapping of schedule name to its settings")
    return tuple(_parse_schedule(str(name), raw, file) for name, raw in data.items())


def _parse_schedule(name: str, raw: object, file: str) -> Schedule:
    where = f"schedules.{name}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping with partial and cron")
    unknown = sorted(set(raw) - _SCHEDULE_KEYS)
    if unknown:
        known = ", ".join(sorted(_SCHEDULE_KEYS))
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {known}")
    partial = raw.get("partial")
    if not isinstance(partial, str) or not partial.strip():
        raise ValueError(f"{where}.partial: the partial to queue is required")
    cron = raw.get("cron")
    if not isinstance(cron, str) or not croniter.is_valid(cron):
        raise ValueError(
            f"{where}.cron: {cron!r} is not a cron expression "
            "(5 fields, or 6 with seconds last: '* * * * * */10')"
        )
    timezone = raw.get("timezone", "UTC")
    try:
        ZoneInfo(str(timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{where}.timezone: unknown time zone {timezone!r}") from None
    arguments = raw.get("arguments") or {}
    if not isinstance(arguments, dict):
        raise ValueError(f"{where}.arguments: expected a mapping of argument name to value")
    for reserved in ("job", "context"):
        if reserved in arguments:
            raise ValueError(f"{where}.arguments: {reserved!r} cannot be a job argument")
    priority = str(raw.get("priority", "default"))
    if Priority.named(priority) is None:
        raise ValueError(f"{where}.priority: {priority!r} is not high, default or low")
    max_attempts = raw.get("max_attempts", 1)
    if (
        not isinstance(max_attempts, int)
        or isinstance(max_attempts, bool)
        or not 0 <= max_attempts <= 5
    ):
        raise ValueError(f"{where}.max_attempts: {max_attempts!r} is not a number from 0 to 5")
    missed = raw.get("missed", "last")
    if missed not in MISSED_POLICIES:
        raise ValueError(f"{where}.missed: {missed!r} is not one of {', '.join(MISSED_POLICIES)}")
    source_name = raw.get("source_name")
    if source_name is not None and (not isinstance(source_name, str) or not source_name.strip()):
        raise ValueError(f"{where}.source_name: expected a name")
    return Schedule(
        name=name,
        partial=partial.strip(),
        cron=cron,
        timezone=str(timezone),
        arguments=json.loads(json.dumps(arguments, default=str)),
        priority=priority,
        max_attempts=max(1, max_attempts),
        source_name=source_name,
        missed=missed,
        file=file,
    )


_SOURCE_KEYS: Final = {"unique", "concurrency", "rate"}


def parse_sources(data: object) -> dict[str, SourcePolicy]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("sources: expected a mapping of source_name to its policies")
    return {str(name): _parse_source(str(name), raw) for name, raw in data.items()}


def _parse_source(name: str, raw: object) -> SourcePolicy:
    where = f"sources.{name}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping with unique, concurrency or rate")
    unknown = sorted(set(raw) - _SOURCE_KEYS)
    if unknown:
        known = ", ".join(sorted(_SOURCE_KEYS))
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {known}")
    concurrency = raw.get("concurrency")
    if concurrency is not None and (
        not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1
    ):
        raise ValueError(f"{where}.concurrency: {concurrency!r} is not a whole number above 0")
    rate = None if raw.get("rate") is None else parse_rate(raw["rate"], f"{where}.rate")
    unique = None if "unique" not in raw else _parse_unique(raw["unique"], f"{where}.unique")
    return SourcePolicy(unique=unique, concurrency=concurrency, rate=rate)


def _parse_unique(raw: object, where: str) -> UniquePolicy:
    if raw is True or raw == {} or raw is None:
        return UniquePolicy()
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected true or a mapping with for and by")
    unknown = sorted(set(raw) - {"for", "by"})
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}; known: by, for")
    by = raw.get("by") or []
    if isinstance(by, str):
        by = [by]
    if not isinstance(by, list) or not all(isinstance(n, str) and n for n in by):
        raise ValueError(f"{where}.by: expected a list of argument names")
    for_seconds = parse_duration_text(raw.get("for", 0), f"{where}.for")
    return UniquePolicy(by=tuple(by), for_seconds=for_seconds)


def parse_rate(raw: object, where: str) -> Rate:
    match = _RATE.match(str(raw)) if isinstance(raw, str) else None
    if match is None or int(match.group(1)) < 1:
        raise ValueError(f"{where}: {raw!r} is not a rate like 10/s, 100/m or 1000/h")
    per = {**_RATE_UNITS, **_RATE_UNITS_MORE}[match.group(2)]
    return Rate(count=int(match.group(1)), per_seconds=per)


def parse_duration_text(raw: object, where: str) -> float:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw >= 0:
        return float(raw)
    match = _DURATION.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise ValueError(f"{where}: {raw!r} is not a duration (seconds, or 500ms, 5s, 10m, 4h, 7d)")
    return float(match.group(1)) * _UNITS[match.group(2)]


# unique jobs at render time

HolderLookup = Callable[[str, float], "str | None"]


@dataclass
class JobAdmission:
    """What a render asks before queueing a job: is an equal unique job already there?

    The store enforces uniqueness whatever this says (a unique index); asking
    first lets the partial form's variable hold the existing job's id.
    """

    policies: Policies = NO_POLICIES
    find_holder: HolderLookup | None = None  # (unique key, now) -> id of the job holding it

    def admit(
        self, spec: JobSpec, queued: Sequence[JobSpec], now: float
    ) -> tuple[JobSpec, str | None]:
        """The spec with its unique key set, and the id of the job already holding
        the key (in this render's `queued` jobs or in the store), if any."""
        if not self.policies.sources:
            return spec, None
        keyed = self.policies.unique_key(spec)
        if keyed is None:
            return spec, None
        key, for_seconds = keyed
        spec = replace(spec, unique_key=key, unique_for=for_seconds)
        for earlier in queued:
            if earlier.unique_key == key:
                return spec, earlier.id
        holder = self.find_holder(key, now) if self.find_holder is not None else None
        return spec, holder


def duplicate_entry(spec: JobSpec, holder: str, at: float, location: str | None) -> LogEntry:
    """The `unique` log line of a job not queued because `holder` holds its key."""
    return LogEntry(
        at=at,
        type=UNIQUE_LOG_TYPE,
        message=f"duplicate {spec.source_name} job not queued: job {holder} holds its unique key",
        job_id=holder,
        source_name=spec.source_name,
        location=location,
    )
