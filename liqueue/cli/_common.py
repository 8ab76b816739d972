"""Pieces every command shares: opening the app, error reporting, tables, JSON."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import click

from liqueue.app import App
from liqueue.config import parse_duration
from liqueue.errors import LiqueueError
from liqueue.logs import format_time

P = ParamSpec("P")
R = TypeVar("R")


class LiqueueGroup(click.Group):
    """A group that reports liqueue's own errors as one line, without a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LiqueueError as err:
            click.echo(f"error: {err}", err=True)
            ctx.exit(1)


class DefaultGroup(LiqueueGroup):
    """A group whose first word may be omitted: `liqueue jobs APP` means `jobs list APP`.

    A first word that names a subcommand always wins, so an application
    directory called `show` must be written `./show`.
    """

    def __init__(self, *args: Any, default: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = default

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default, *args]
        return super().parse_args(ctx, args)


def with_app(f: Callable[Concatenate[App, P], R]) -> Callable[P, R]:
    """Give a command the APP argument and `--db`, and hand it an open `App`.

    Apply it directly under `@click.command`, so APP comes first in the usage line.
    """

    @functools.wraps(f)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        app_dir = kwargs.pop("app_dir")
        database_url = kwargs.pop("database_url")
        assert isinstance(app_dir, Path)
        assert database_url is None or isinstance(database_url, str)
        with App(app_dir, database_url=database_url) as app:
            return f(app, *args, **kwargs)

    # click lists parameters in reverse order of decoration: APP is added last
    # so it is shown first.
    decorated = click.option(
        "--db",
        "database_url",
        metavar="URL",
        help="Database URL (sqlite:///path.db or postgresql://...). Default: "
        "$LIQUEUE_DATABASE_URL, then database_url in liqueue.yml, "
        "then APP/.liqueue/liqueue.db.",
    )(wrapper)
    return click.argument(
        "app_dir", metavar="APP", type=click.Path(file_okay=False, path_type=Path)
    )(decorated)


def duration_option(value: str | None) -> float | None:
    """Seconds in a `--since`-style value, or a usage error naming the accepted forms."""
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


def echo_json(value: object) -> None:
    click.echo(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False, default=str))


def to_jsonable(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Plain aligned columns; the last column is never padded (it is often long)."""
    cells = [[str(c) for c in headers], *[[_cell(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        padded = [c.ljust(w) for c, w in zip(row[:-1], widths[:-1], strict=True)]
        lines.append("  ".join([*padded, row[-1]]).rstrip())
    return "\n".join(lines)


# Job ids are time-ordered (UUIDv7): the first 13 characters are the
# millisecond, so a short prefix must reach into the random part.
MIN_ID_PREFIX = 18


def short_ids(ids: Sequence[str]) -> list[str]:
    """The shortest prefixes (at least MIN_ID_PREFIX) telling the given ids apart."""
    for length in range(MIN_ID_PREFIX, max((len(i) for i in ids), default=0) + 1):
        if len({i[:length] for i in ids}) == len(set(ids)):
            return [i[:length] for i in ids]
    return list(ids)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    return " ".join(str(value).split())  # one line per row, whatever the value holds


def shorten(text: str | None, width: int) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def when(at: float | None, now: float) -> str:
    """A UTC time to the second, with how far it is from now: `2026-11-28 12:00:00 (in 5m)`."""
    if at is None:
        return "-"
    delta = at - now
    span = _span(abs(delta))
    relative = "now" if span == "0s" else (f"in {span}" if delta > 0 else f"{span} ago")
    return f"{format_time(at)[:19]} ({relative})"


def _span(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"
