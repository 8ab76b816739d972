"""Validation of the four special job options, shared by the `background` tag,
consumers' front matter and `liqueue check`.

Each validator takes the raw value and returns the normalised one, or raises
`ValueError` with a message meant for the template author; callers add the
file and line. `validate_job_options` runs them into one `JobOptions`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final

from liqueue.jobs.priority import Priority

# The platform documents 5 as the maximum. Values above it are refused rather
# than clamped: a silent clamp would hide that a payment job retries fewer
# times than its author believes, and the backoff schedule ends at attempt 5.
MAX_ATTEMPTS_LIMIT: Final = 5


# Far beyond any real schedule, and small enough that run_at stays a finite time.
MAX_DELAY_MINUTES: Final = 100 * 365 * 24 * 60


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(text):,} characters)"


def validate_priority(value: object) -> Priority:
    if value is None:
        return Priority.DEFAULT
    priority = Priority.named(value)
    if priority is None:
        names = ", ".join(repr(member.value) for member in Priority)
        raise ValueError(f"priority must be one of {names}, got {value!r}")
    return priority


def validate_max_attempts(value: object) -> int:
    if value is None:
        return 1
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"max_attempts must be a whole number, got {value!r}")
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise ValueError(f"max_attempts must be a whole number, got {_short(value)}") from None
    if not number.is_integer():
        raise ValueError(f"max_attempts must be a whole number, got {value!r}")
    attempts = int(number)
    if attempts < 0:
        raise ValueError(f"max_attempts must not be negative, got {attempts}")
    if attempts > MAX_ATTEMPTS_LIMIT:
        raise ValueError(
            f"max_attempts is at most {MAX_ATTEMPTS_LIMIT} (the platform's limit), got {attempts}"
        )
    # The platform's own modules pass 0 to mean "do not retry".
    return max(attempts, 1)


def validate_delay(value: object) -> float:
    """Return the delay in minutes (fractions allowed)."""
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"delay must be a number of minutes, got {value!r}")
    try:
        minutes = float(value)
    except OverflowError:
        raise ValueError(
            f"delay is at most {MAX_DELAY_MINUTES:,} minutes (100 years), got {_short(value)}"
        ) from None
    except ValueError:
        raise ValueError(f"delay must be a number of minutes, got {_short(value)}") from None
    if math.isnan(minutes) or math.isinf(minutes):
        raise ValueError(f"delay must be a finite number of minutes, got {value!r}")
    if minutes < 0:
        raise ValueError(f"delay must not be negative, got {value!r}")
    if minutes > MAX_DELAY_MINUTES:
        raise ValueError(
            f"delay is at most {MAX_DELAY_MINUTES:,} minutes (100 years), got {value!r}"
        )
    return minutes


def validate_source_name(value: object) -> str | None:
    """Return the source name, or None when the default name should be used."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"source_name must be a string, got {value!r}")
    name = value.strip()
    if not name:
        raise ValueError("source_name must not be empty")
    if not name.isprintable():
        # Attempt and log lines are one line each, for grep.
        raise ValueError(f"source_name must be one line of printable text, got {name!r}")
    if len(name) > 200:
        raise ValueError(f"source_name is longer than 200 characters: {name[:40]!r}...")
    return name


@dataclass(frozen=True)
class JobOptions:
    """The four special options of a job, validated; the defaults are the platform's."""

    priority: str = "default"
    max_attempts: int = 1
    delay: float = 0.0  # minutes
    source_name: str | None = None  # None: the caller names the job


class JobOptionInvalid(ValueError):
    """An option's value is wrong; `key` names the option, so callers can point at it."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


# In the order a `background` tag validates them: its first wrong option is reported.
JOB_OPTION_NAMES: Final = ("delay", "priority", "max_attempts", "source_name")


def validate_job_options(
    raw: Iterable[tuple[str, object]], defaults: JobOptions = JobOptions()
) -> JobOptions:
    """Validate `(name, value)` pairs, in the order given, into `defaults` updated.

    A name left out keeps its value from `defaults`; a value of None gets the
    platform's default. `raw` is read lazily, so a caller may compute each value
    only once the options before it have passed.
    """
    options = defaults
    for key, value in raw:
        try:
            options = _with_option(options, key, value)
        except ValueError as err:
            raise JobOptionInvalid(key, str(err)) from None
    return options


def _with_option(options: JobOptions, key: str, value: object) -> JobOptions:
    if key == "delay":
        return replace(options, delay=validate_delay(value))
    if key == "priority":
        return replace(options, priority=validate_priority(value))
    if key == "max_attempts":
        return replace(options, max_attempts=validate_max_attempts(value))
    if key == "source_name":
        return replace(options, source_name=validate_source_name(value))
    raise ValueError(f"unknown job option '{key}'; known: {', '.join(JOB_OPTION_NAMES)}")
