"""Time filters: a clock-aware `date` and platformOS's `add_to_time`.

Conventions (liqueue runs in UTC, as platformOS instances do by default):

* `'now'` and `'today'` (any case, as in Ruby Liquid) read the injected clock,
  so tests can move time.
* Epoch numbers, and time strings without an offset, are UTC.
* `add_to_time` returns ISO-8601 text in UTC with milliseconds
  (`2027-01-15T08:00:00.000Z`, the form Rails uses for times in JSON), so the
  result can be stored in job arguments and fed back to `date`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import TYPE_CHECKING

from liquid.builtin.filters.misc import date as builtin_date
from liquid.exceptions import FilterArgumentError
from liquid.filter import liquid_filter, num_arg, with_environment
from liquid.undefined import is_undefined

from liqueue.clock import Clock

from .errors import argument_error, input_error, type_name

if TYPE_CHECKING:
    from liquid import Environment
    from liquid.filter import FilterT

# Renders every field python-liquid parsed, in a form `fromisoformat` reads back.
_ROUND_TRIP_FORMAT = "%Y-%m-%dT%H:%M:%S.%f%z"
_EPOCH_DIRECTIVE = re.compile(r"%%|%s")


def now_utc(clock: Clock) -> dt.datetime:
    return dt.datetime.fromtimestamp(clock.now(), dt.UTC)


def _is_now(value: object) -> bool:
    return isinstance(value, str) and value.lower() in ("now", "today")


def _from_epoch(seconds: float) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _as_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _parse_text(text: str, environment: Environment) -> dt.datetime | None:
    """Parse a time string exactly as python-liquid's `date` filter would.

    Going through the built-in filter keeps one definition of "a time string"
    for `date` and `add_to_time` without importing python-liquid's private
    parser. The built-in returns unparseable input unchanged, which then fails
    `fromisoformat`.
    """
    rendered = builtin_date(text, _ROUND_TRIP_FORMAT, environment=environment)
    try:
        return dt.datetime.fromisoformat(str(rendered))
    except ValueError:
        return None


def _direct_moment(value: object, clock: Clock) -> dt.datetime | None:
    """The moments python-liquid gets wrong for us: 'now' (no clock) and epochs (local time)."""
    if _is_now(value):
        return now_utc(clock)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _from_epoch(value)
    if isinstance(value, str) and value.isdigit():
        return _from_epoch(int(value))
    return None


def to_moment(value: object, clock: Clock, environment: Environment) -> dt.datetime | None:
    """Interpret a template value as a moment in UTC, or None if it is not a time."""
    if isinstance(value, dt.datetime):
        return _as_utc(value)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.min, dt.UTC)
    if isinstance(value, float) and not math.isnan(value):
        return _from_epoch(value)
    direct = _direct_moment(value, clock)
    if direct is not None or not isinstance(value, str):
        return direct
    parsed = _parse_text(value, environment)
    return None if parsed is None else _as_utc(parsed)


def _with_epoch_seconds(fmt: str, moment: dt.datetime) -> str:
    # strftime's %s ignores the offset of an aware datetime (glibc calls mktime),
    # so '2026-01-01 00:00 +0100' | date: '%s' would be an hour off; substitute it.
    epoch = str(math.floor(_as_utc(moment).timestamp()))
    return _EPOCH_DIRECTIVE.sub(lambda m: m.group(0) if m.group(0) == "%%" else epoch, fmt)


def make_date_filter(clock: Clock) -> FilterT:
    """python-liquid's `date`, but reading 'now' from `clock` and computing `%s` in UTC."""

    @with_environment
    @liquid_filter
    def date(value: object, fmt: object, *, environment: Environment) -> object:
        if not isinstance(fmt, str):
            # Undefined or missing formats keep python-liquid's handling of the raw input.
            return builtin_date(value, fmt, environment=environment)
        moment = _direct_moment(value, clock)
        if "%s" in fmt:
            when = moment
            if when is None and isinstance(value, dt.date | str):
                when = to_moment(value, clock, environment)
            if when is not None:
                # Keep the format's own type: a Markup format yields Markup output.
                fmt = type(fmt)(_with_epoch_seconds(fmt, when))
        try:
            return builtin_date(value if moment is None else moment, fmt, environment=environment)
        except (OverflowError, OSError, ValueError) as err:
            # An epoch or year past what a calendar holds (years 1 to 9999).
            raise input_error(
                "date", f"cannot read {type_name(value)} {value!r} as a time: {err}"
            ) from None

    return date


_UNIT_SPELLINGS = {
    "seconds": ("s", "sec", "secs", "second", "seconds"),
    "minutes": ("m", "min", "mins", "minute", "minutes"),
    "hours": ("h", "hr", "hrs", "hour", "hours"),
    "days": ("d", "day", "days"),
    "weeks": ("w", "week", "weeks"),
    "months": ("mo", "month", "months"),
    "years": ("y", "yr", "yrs", "year", "years"),
}
_UNITS = {spelling: unit for unit, spellings in _UNIT_SPELLINGS.items() for spelling in spellings}

UNIT_NAMES = tuple(sorted(_UNITS))


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """Calendar months, clamping the day as Rails' `advance` does (Jan 31 + 1 month = Feb 28/29)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError("year out of range")
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def shift(moment: dt.datetime, amount: float, unit: str) -> dt.datetime:
    """Move `moment` by `amount` of a canonical unit name (see `_UNITS` values)."""
    if unit in ("months", "years"):
        if amount != int(amount):
            raise ValueError(f"{unit} must be a whole number, found {amount}")
        months = int(amount) * (12 if unit == "years" else 1)
        return _add_months(moment, months)
    return moment + dt.timedelta(**{unit: amount})


def format_moment(moment: dt.datetime) -> str:
    utc = _as_utc(moment)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def make_add_to_time_filter(clock: Clock) -> FilterT:
    @with_environment
    def add_to_time(
        value: object,
        number: object = None,
        unit: object = "d",
        *,
        environment: Environment,
    ) -> str | None:
        """`time | add_to_time: number, unit` -> ISO-8601 UTC text; nil input gives nil.

        Units as platformOS documents them (`y`, `mo`, `w`, `d` (default), `h`,
        `m` = minutes, `s`, and their long forms) plus `min`, `sec`, `hr`.
        """
        if value is None or is_undefined(value):
            return None
        if number is None or is_undefined(number) or isinstance(number, bool):
            raise argument_error("add_to_time", "expected a number of units to add")
        try:
            amount = num_arg(number)
        except FilterArgumentError as err:
            raise argument_error("add_to_time", str(err.message)) from err
        if not isinstance(unit, str) or unit.strip().lower() not in _UNITS:
            raise argument_error(
                "add_to_time",
                f"unknown unit {unit!r}; expected one of {', '.join(UNIT_NAMES)}",
            )
        moment = to_moment(value, clock, environment)
        if moment is None:
            raise input_error("add_to_time", f"cannot read {type_name(value)} {value!r} as a time")
        try:
            return format_moment(shift(moment, amount, _UNITS[unit.strip().lower()]))
        except OverflowError as err:
            raise argument_error(
                "add_to_time", "the result is outside the years 1 to 9999"
            ) from err
        except ValueError as err:
            raise argument_error("add_to_time", str(err)) from err

    return add_to_time
