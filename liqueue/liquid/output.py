"""Output buffers that keep the template's line endings.

python-liquid 2.3 writes through `LimitedStringIO(newline=None)` whenever an
output limit is set, and StringIO's universal-newline mode turns every
`\\r\\n` and `\\r` into `\\n`: a CRLF template would render LF output. These
buffers keep the limit and leave the text alone.
"""

from __future__ import annotations

from io import StringIO
from typing import TextIO

from liquid import RenderContext
from liquid.output import LimitedStringIO


class ExactLimitedStringIO(LimitedStringIO):
    def __init__(self, limit: int) -> None:
        super().__init__(limit, newline="")


def output_buffer(limit: int | None) -> StringIO:
    return StringIO(newline="") if limit is None else ExactLimitedStringIO(limit)


class AppContext(RenderContext):
    """The render context of liqueue templates: its nested buffers (capture,
    try) keep line endings too."""

    def get_buffer(self, buf: TextIO | None = None) -> StringIO:
        limit = self.env.output_stream_limit
        if limit is None:
            return StringIO(newline="")
        carry = buf.size if isinstance(buf, LimitedStringIO) else 0
        return ExactLimitedStringIO(limit - carry)
