"""`{% try %}...{% catch err %}...{% endtry %}`: recover from a render error.

When the try block fails, everything it did is undone except log entries:
its output is discarded, jobs and events it queued are dropped. `err` (or
`error` when no name is given) gets `{message, class, location}`, then the
catch block renders.

Never caught: `TimeLimitExceeded` (the worker stops over-time jobs with it),
exceptions that are not `Exception`s, `{% return %}`, `break`/`continue`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from liquid.ast import BlockNode, Node
from liquid.builtin.expressions import parse_identifier
from liquid.exceptions import LiquidError, LiquidInterrupt, LiquidSyntaxError, StopRender
from liquid.parser import get_parser
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG

from liqueue.errors import TemplateError, TimeLimitExceeded
from liqueue.liquid.positioned import PythonError
from liqueue.liquid.positions import time_limit_in_chain, to_template_error, unplaced
from liqueue.liquid.signals import ReturnSignal
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import template_path

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import RenderContext
    from liquid.stream import TokenStream
    from liquid.token import Token

TAG_TRY = "try"
TAG_CATCH = "catch"
TAG_ENDTRY = "endtry"

_NEVER_CAUGHT = (TimeLimitExceeded, ReturnSignal, LiquidInterrupt, StopRender)


def describe(err: Exception, context: RenderContext) -> dict[str, object]:
    """The `{message, class, location}` hash a catch block sees."""
    if isinstance(err, LiquidError):
        converted: TemplateError = to_template_error(err, template_path(context))
    elif isinstance(err, TemplateError):
        converted = err
    else:
        converted = TemplateError(f"{type(err).__name__}: {err}")
    # Described by the class python-liquid raised, not the wrapper naming its
    # file; a Python exception given a position, by its own class.
    original = unplaced(err)
    if isinstance(original, PythonError) and original.__cause__:
        original = original.__cause__
    return {
        "message": converted.message,
        "class": type(original).__name__,
        "location": str(converted.location) if converted.location else None,
    }


class TryNode(Node):
    __slots__ = ("body", "name", "rescue")

    def __init__(self, token: Token, body: BlockNode, name: str, rescue: BlockNode | None):
        super().__init__(token)
        self.body = body
        self.name = name
        self.rescue = rescue
        self.blank = body.blank and (rescue is None or rescue.blank)

    def __str__(self) -> str:
        return "{% try %}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        state = state_of(context)
        mark = state.mark()
        attempt = context.get_buffer(buffer)
        try:
            self.body.render(context, attempt)
        except _NEVER_CAUGHT:
            raise
        except Exception as err:
            stopped = time_limit_in_chain(err)
            if stopped is not None:
                raise stopped from None
            state.rollback(mark)
            context.assign(self.name, describe(err, context))
            return self.rescue.render(context, buffer) if self.rescue is not None else 0
        return buffer.write(attempt.getvalue())

    def children(
        self, static_context: RenderContext, *, include_partials: bool = True
    ) -> Iterable[Node]:
        yield self.body
        if self.rescue is not None:
            yield self.rescue


class TryTag(Tag):
    name = TAG_TRY
    end = TAG_ENDTRY
    block = True

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        if stream.current.kind == TOKEN_EXPRESSION:
            raise LiquidSyntaxError("try takes no arguments", token=stream.current)
        parser = get_parser(self.env)
        body = parser.parse_block(stream, (TAG_CATCH, TAG_ENDTRY))
        name = "error"
        rescue: BlockNode | None = None
        if stream.current.is_tag(TAG_CATCH):
            catch = next(stream)
            if stream.current.kind == TOKEN_EXPRESSION:
                name = str(parse_identifier(self.env, stream.into_inner(tag=catch)))
            rescue = parser.parse_block(stream, (TAG_ENDTRY,))
        stream.expect(TOKEN_TAG, value=TAG_ENDTRY)
        return TryNode(token, body, name, rescue)
