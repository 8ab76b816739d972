"""Errors liqueue raises to its users, each naming the place it is about."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in an application file: `path:line:col` (1-based line and column)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        if not self.column:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


class LiqueueError(Exception):
    """Base class of every error liqueue raises on purpose."""


class TemplateError(LiqueueError):
    """A problem in an application's Liquid source, found when parsing or rendering."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"


class JobOptionError(TemplateError):
    """A `background` option, consumer front matter key or job argument is invalid."""


class JobFailed(TemplateError):
    """Raised by a template on purpose (`{% raise 'message' %}`) to fail its job."""


class TimeLimitExceeded(LiqueueError):
    """A job ran past the time limit of its priority."""


class ConfigError(LiqueueError):
    """The application's `liqueue.yml`, a database URL or a command line is invalid."""


class StoreError(LiqueueError):
    """The store cannot do what was asked (unknown job, schema too new, ...)."""


class NotFound(StoreError):
    """No job, event or template by that name."""


class StoreUnavailable(StoreError):
    """The database could not be reached or lost the operation (server restart,
    dropped connection, deadlock victim). Worth trying again shortly; a write
    that failed this way may or may not have been applied."""


class ExternalCallFailed(TemplateError):
    """An API call or host function failed the attempt (timeout, refused host,
    a failure status, a Python exception). `not_before` is the earliest time
    (epoch seconds) the service asked to be called again (`Retry-After`): the
    next attempt waits at least that long, and at least the backoff."""

    def __init__(
        self, message: str, location: Location | None = None, *, not_before: float | None = None
    ) -> None:
        super().__init__(message, location)
        self.not_before = not_before
