"""Turning python-liquid errors and tokens into liqueue's `Location`s and errors.

python-liquid knows the source text of a token but not always which file it
came from (an error raised inside an included partial travels up through the
includer). Each template therefore wraps an error leaving it in a
`PlacedError` naming its file (`placed`), innermost first; outer templates
pass it on unchanged, and conversion trusts it.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

from liquid.exceptions import LiquidError, LiquidInterrupt, StopRender
from liquid.token import Token

from liqueue.errors import Location, TemplateError, TimeLimitExceeded


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


class PlacedError(LiquidError):
    """A python-liquid error and the template file it was raised in.

    Still a `LiquidError` (with the original's message and token), so every
    handler of python-liquid errors treats it as before; `original` keeps the
    error itself, whose class `{% catch %}` blocks see.
    """

    def __init__(self, original: LiquidError, path: str) -> None:
        super().__init__(*original.args, token=original.token, template_name=original.template_name)
        self.original = original
        self.path = path


def placed(err: LiquidError, path: str) -> LiquidError:
    """`err` placed in the file at `path`, unless a deeper template placed it already.

    Break, continue and stop-render are control flow, not errors: they travel
    as they are, for the template that handles them.
    """
    if isinstance(err, PlacedError | LiquidInterrupt | StopRender):
        return err
    wrapped = PlacedError(err, path)
    wrapped.__cause__ = err
    return wrapped


def unplaced(err: BaseException) -> BaseException:
    """The error a `PlacedError` carries, or `err` itself."""
    return err.original if isinstance(err, PlacedError) else err


def one_line(message: object) -> str:
    text = str(message) if message is not None else ""
    return " ".join(text.split()) or "template error"


def to_template_error(err: LiquidError, fallback_path: str) -> TemplateError:
    """A liqueue `TemplateError` for a python-liquid error, with file, line and column."""
    if isinstance(err, PlacedError):
        path = err.path
    else:
        path = str(err.template_name) if err.template_name else fallback_path
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
