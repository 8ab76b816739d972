"""Turning python-liquid errors and tokens into liqueue's `Location`s and errors.

python-liquid knows the source text of a token but not always which file it
came from (an error raised inside an included partial travels up through the
includer). Templates therefore mark errors with their path on the way out
(`mark_origin`), innermost first, and conversion trusts that mark.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from liquid.exceptions import LiquidError
from liquid.token import Token

from liqueue.errors import Location, TemplateError, TimeLimitExceeded

_ORIGIN = "_liqueue_path"


@lru_cache(maxsize=64)
def _newlines(source: str) -> list[int]:
    return [index for index, char in enumerate(source) if char == "\n"]


def line_col(source: str, index: int) -> tuple[int, int]:
    """1-based line and column of `index` in `source`.

    Newline offsets are computed once per source (str caches its hash, so the
    lookup is cheap): a page with a thousand tags must not rescan the file
    from the top for each of them.
    """
    newlines = _newlines(source)
    line = bisect_left(newlines, index)
    line_start = newlines[line - 1] + 1 if line else 0
    return line + 1, index - line_start + 1


def token_location(path: str, token: Token | None) -> Location:
    if token is None or token.start_index < 0:
        return Location(path)
    line, column = line_col(token.source, token.start_index)
    return Location(path, line, column)


def tag_start(token: Token) -> int:
    """Index of the `{%` opening the tag whose name is `token`, or of the name
    itself inside `{% liquid %}`, where tags have no delimiters."""
    source = token.source
    end = token.start_index
    while end > 0 and source[end - 1] in " \t\r\n-":
        end -= 1
    if end >= 2 and source.startswith("{%", end - 2):
        return end - 2
    return token.start_index


def in_liquid_tag(token: Token) -> bool:
    return tag_start(token) == token.start_index


def mark_origin(err: BaseException, path: str) -> None:
    """Remember the file an error belongs to, unless a deeper template did already."""
    if not hasattr(err, _ORIGIN):
        setattr(err, _ORIGIN, path)


def origin_of(err: BaseException) -> str | None:
    value = getattr(err, _ORIGIN, None)
    return value if isinstance(value, str) else None


def one_line(message: object) -> str:
    text = str(message) if message is not None else ""
    return " ".join(text.split()) or "template error"


def to_template_error(err: LiquidError, fallback_path: str) -> TemplateError:
    """A liqueue `TemplateError` for a python-liquid error, with file, line and column."""
    path = origin_of(err) or (str(err.template_name) if err.template_name else fallback_path)
    error = TemplateError(one_line(err.message), token_location(path, err.token))
    error.__cause__ = err
    return error


def time_limit_in_chain(err: BaseException) -> TimeLimitExceeded | None:
    """The `TimeLimitExceeded` an error was raised from, if any.

    The worker injects it asynchronously, so python-liquid may have wrapped it
    (its parser turns any unexpected exception into a LiquidError).
    """
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        if isinstance(current, TimeLimitExceeded):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
