"""Pieces every command shares: opening the app, error reporting, tables, JSON."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar, overload

import click

from liqueue.app import App
from liqueue.config import parse_duration
from liqueue.discovery import find_app
from liqueue.errors import LiqueueError, StoreError
from liqueue.logs import format_time
from liqueue.store.url import sqlite_path

P = ParamSpec("P")
R = TypeVar("R")

# Stands for an APP left out of the command line: the app is then discovered.
# A NUL byte cannot be part of a path, so no real argument is mistaken for it.
_DISCOVER = "\0discover-app"
_TAKES_APP = "_liqueue_takes_app"


class LiqueueGroup(click.Group):
    """A group that reports liqueue's own errors as one line, without a traceback.

    It is also where APP may be left out (see `_mark_missing_app`) and where a
    reader that went away (`liqueue logs | head -1`) ends a command quietly.
    """

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and getattr(command.callback, _TAKES_APP, False):
            rest = _mark_missing_app(command, rest)
        return name, command, rest

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LiqueueError as err:
            click.echo(f"error: {err}", err=True)
            ctx.exit(1)
        except BrokenPipeError:
            # `| head -1` read what it wanted: that is success, and Python must
            # not complain about the closed pipe when it flushes at exit.
            _silence_stdout()
            ctx.exit(0)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's runner): nothing to flush
        pass


class DefaultGroup(LiqueueGroup):
    """A group whose first word may be omitted: `liqueue jobs APP` means `jobs list APP`.

    A first word that names a subcommand always wins, so an application
    directory called `show` must be written `./show`.
    """

    def __init__(self, *args: Any, default: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default = default

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


def _mark_missing_app(command: click.Command, args: list[str]) -> list[str]:
    """Put the discovery placeholder first when the command line has no APP.

    APP is the first positional argument. It is missing when the command has
    one positional fewer than it takes with APP; when the others are variadic
    (`jobs retry ID...`), when the first positional is not a directory.
    """
    positionals = _positionals(command, args)
    others = [p for p in command.params if isinstance(p, click.Argument) and p.name != "app_dir"]
    if any(p.nargs == -1 for p in others):
        given = bool(positionals) and Path(positionals[0]).is_dir()
    else:
        given = len(positionals) > sum(p.nargs for p in others)
    return args if given else [_DISCOVER, *args]


def _positionals(command: click.Command, args: list[str]) -> list[str]:
    """The positional arguments among `args`, skipping options and their values."""
    takes_value = {
        name
        for p in command.params
        if isinstance(p, click.Option) and not p.is_flag and not p.count
        for name in p.opts
    }
    found: list[str] = []
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            found.extend(tokens)
            break
        if token.startswith("--"):
            if "=" not in token and token in takes_value:
                next(tokens, None)
        elif token.startswith("-") and len(token) > 1:
            for i, letter in enumerate(token[1:], 1):
                if f"-{letter}" in takes_value:
                    if i == len(token) - 1:  # `-n 5`; `-n5` carries its value
                        next(tokens, None)
                    break
        else:
            found.append(token)
    return found


def _app_dir(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Path:
    if value is None or value == _DISCOVER:
        return find_app()
    return Path(value)


@overload
def with_app(f: Callable[Concatenate[App, P], R], /) -> Callable[P, R]: ...


@overload
def with_app(
    *, readonly: bool = False
) -> Callable[[Callable[Concatenate[App, P], R]], Callable[P, R]]: ...


def with_app(
    f: Callable[Concatenate[App, P], R] | None = None, /, *, readonly: bool = False
) -> Callable[P, R] | Callable[[Callable[Concatenate[App, P], R]], Callable[P, R]]:
    """Give a command the optional APP argument and `--db`, and hand it an open `App`.

    Without APP, the application is the one containing the current directory,
    then $LIQUEUE_APP. A `readonly` command never creates a database: a
    missing SQLite file is an error saying nothing has been queued yet.
    Apply it directly under `@click.command`, so APP comes first in the usage line.
    """
    if f is None:
        return lambda g: _with_app(g, readonly)
    return _with_app(f, readonly)


def _with_app(f: Callable[Concatenate[App, P], R], readonly: bool) -> Callable[P, R]:
    @functools.wraps(f)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        app_dir = kwargs.pop("app_dir")
        database_url = kwargs.pop("database_url")
        assert isinstance(app_dir, Path)
        assert database_url is None or isinstance(database_url, str)
        with App(app_dir, database_url=database_url) as app:
            if readonly:
                _require_database(app.database_url)
            return f(app, *args, **kwargs)

    setattr(wrapper, _TAKES_APP, True)
    # click lists parameters in reverse order of decoration: APP is added last
    # so it is shown first.
    decorated = click.option(
        "--db",
        "database_url",
        metavar="URL",
        help="Database URL: sqlite:///rel.db (relative to APP), sqlite:////abs/path.db "
        "(absolute) or postgresql://... Default: $LIQUEUE_DATABASE_URL, then "
        "database_url in liqueue.yml, then APP/.liqueue/liqueue.db.",
    )(wrapper)
    return click.argument(
        "app_dir", metavar="[APP]", required=False, callback=_app_dir, expose_value=True
    )(decorated)


def _require_database(url: str) -> None:
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise StoreError(f"no database yet at {path} (nothing has been queued)")


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
