"""Named values a tag stores as JSON: a job's arguments, an event's payload.

Both end up as job arguments (an event's payload is each consumer job's
`event`), so both are held to the same bounds: `limits.job_arguments_bytes`,
measured while the JSON is written (a list holding one big list many times
is small in memory but huge as text), nesting no deeper than the encoder
goes, and a warning above the platform's advised ~100 KB. An error names
the field at fault, at its place in the template.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from liqueue.errors import JobOptionError
from liqueue.jobs import stored_json
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import at, tag_location
from liqueue.liquid.values import TooLarge, json_text

if TYPE_CHECKING:
    from liquid import RenderContext
    from liquid.builtin.expressions import KeywordArgument
    from liquid.token import Token

# The platform's advice: job arguments under about 100 KB.
ARGUMENTS_WARNING_BYTES = 100_000
_SCALARS = frozenset({str, int, float, bool, type(None)})


@dataclass(frozen=True)
class Stored:
    """How errors name what is stored: `field` one value, `whole` all of them."""

    field: str  # "job argument", "event field"
    whole: str  # "the job's arguments are", "the event's payload is"


JOB_ARGUMENTS = Stored("job argument", "the job's arguments are")
EVENT_PAYLOAD = Stored("event field", "the event's payload is")


# The fields as JSON data, about how many bytes they take as JSON (what the
# limits go by), and the text the store writes (`stored_json` of the data).
StoredFields = tuple[dict[str, Any], int, str]

# `,"name":` by field name: names are the templates' own words, so few.
_KEYS: dict[str, str] = {}


def json_fields(
    context: RenderContext, keywords: Iterable[KeywordArgument], stored: Stored
) -> StoredFields:
    """The keywords' values as JSON data, their size, and their stored JSON text.

    Each value's JSON is written once, to measure it; the stored text is
    joined from those pieces (written compact for objects and lists), so the
    store need not encode the values again.
    """
    fields: dict[str, Any] = {}
    pieces: list[str] = []  # `,"name":` then the value's JSON, for each field
    size = 2  # {}
    limit = state_of(context).limits.job_arguments_bytes
    for arg in keywords:
        name = arg.name
        value: Any = arg.value.evaluate(context)
        kind = value.__class__
        room = limit - size
        text: str | None
        try:
            # A string or an int is written as the encoder would, without its
            # generic path. A string, number, boolean or null is its own JSON
            # value, written whole, then measured; anything else stops being
            # written as soon as it passes the limit.
            if kind is str:
                text = encode_basestring(value)
                scalar = True
            elif kind is int:
                text = int.__repr__(value)  # what the encoder writes (or a ValueError)
                scalar = True
            else:
                scalar = kind in _SCALARS
                text = json_text(value, max_chars=None if scalar else room)
        except ValueError as err:
            raise JobOptionError(
                f"{stored.field} '{name}' cannot be stored as JSON: {err}", at(context, arg.token)
            ) from None
        except TooLarge:
            text = None
        if scalar and text is not None and len(text) > room:
            text = None
        size += len(name) + 4  # "name": value,
        if text is None:
            size += limit
        elif text.isascii():
            size += len(text)
        else:
            try:
                size += len(text.encode())
            except UnicodeEncodeError as err:  # a lone surrogate, e.g. from a JSON "\ud800"
                bad = err.object[err.start : err.end]
                raise JobOptionError(
                    f"{stored.field} '{name}' cannot be stored as JSON: it holds {bad!r}, "
                    "half of a UTF-16 surrogate pair, which is not text",
                    at(context, arg.token),
                ) from None
        if size > limit:
            raise JobOptionError(
                f"{stored.whole} more than {limit:,} bytes as JSON "
                f"(limits.job_arguments_bytes) with '{name}': pass ids, not large objects",
                at(context, arg.token),
            )
        assert text is not None
        if not scalar:
            # Objects and lists need the round trip that makes them plain
            # data; the store writes that data compact (json_text spaces it).
            value = json.loads(text)
            text = stored_json(value)
        fields[name] = value
        key = _KEYS.get(name)
        if key is None:
            key = _KEYS[name] = f",{encode_basestring(name)}:"
        pieces += (key, text)
    if len(pieces) != 2 * len(fields):  # a name given twice: the dict kept one value
        return fields, size, stored_json(fields)
    return fields, size, "{" + "".join(pieces)[1:] + "}"


def warn_if_large(context: RenderContext, token: Token, what: str, size: int) -> None:
    """Above ARGUMENTS_WARNING_BYTES the job or event is still queued, with a warning;
    `what` names it with its verb (`the arguments of job x are`)."""
    if size <= ARGUMENTS_WARNING_BYTES:
        return
    state_of(context).log(
        "warning",
        f"{what} {size // 1000} KB as JSON, over the advised "
        f"{ARGUMENTS_WARNING_BYTES // 1000} KB: pass ids, not large objects",
        tag_location(context, token),
    )
