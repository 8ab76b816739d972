"""Log entries and their one textual format, shared by the CLI, the web and tests.

A line reads `[2026-11-28 12:00:00.123Z] - type: message`, as the platform's
CLI prints it (UTC, hence the Z). Attempt lines carry `[attempt N/M] - source - SUCCESS|FAILED`
and the duration as `<int>ms`, so the seed's grep recipes work on them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

AttemptStatus = Literal["SUCCESS", "FAILED"]
ATTEMPT_TYPE = "attempt"


@dataclass
class LogEntry:
    at: float
    type: str
    message: str
    job_id: str | None = None
    source_name: str | None = None
    attempt: int | None = None
    max_attempts: int | None = None
    status: AttemptStatus | None = None
    duration_ms: int | None = None
    location: str | None = None  # path:line of the tag or failure
    event_id: str | None = None
    id: int | None = None  # assigned by the store

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["time"] = format_log_time(self.at)
        return data


def format_time(at: float) -> str:
    moment = datetime.fromtimestamp(at, UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def format_log_time(at: float) -> str:
    """A log line's time, UTC to the millisecond with a Z: `2026-11-28 12:00:00.123Z`."""
    return format_time(at) + "Z"


def attempt_message(
    attempt: int,
    max_attempts: int,
    source_name: str,
    status: AttemptStatus,
    duration_ms: int,
    error: str | None = None,
) -> str:
    text = f"[attempt {attempt}/{max_attempts}] - {source_name} - {status} - {duration_ms}ms"
    return f"{text} - {error}" if error else text


def attempt_entry(
    *,
    at: float,
    job_id: str,
    source_name: str,
    attempt: int,
    max_attempts: int,
    status: AttemptStatus,
    duration_ms: int,
    error: str | None = None,
    location: str | None = None,
) -> LogEntry:
    shown_error = f"{error} ({location})" if error and location else error
    return LogEntry(
        at=at,
        type=ATTEMPT_TYPE,
        message=attempt_message(
            attempt, max_attempts, source_name, status, duration_ms, shown_error
        ),
        job_id=job_id,
        source_name=source_name,
        attempt=attempt,
        max_attempts=max_attempts,
        status=status,
        duration_ms=duration_ms,
        location=location,
    )


def format_line(entry: LogEntry) -> str:
    return f"[{format_log_time(entry.at)}] - {entry.type}: {entry.message}"


def format_json(entry: LogEntry) -> str:
    return json.dumps(entry.to_json(), ensure_ascii=False)


def message_of(value: object) -> str:
    """Text of a `{% log %}` value: strings as they are, anything else as JSON."""
    if isinstance(value, str):
        return value
    if value.__class__ is int:
        return str(value)  # what json.dumps writes, without its encoder's set-up
    return json.dumps(value, ensure_ascii=False, default=str)
