"""`{% raise 'message' %}`: fail the job on purpose.

Raises `liqueue.errors.JobFailed` with the message and the tag's location.
The attempt fails like any error: it is retried while attempts remain, then
the job is dead. Inside `{% try %}` it is caught like any other error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag

from liqueue.errors import JobFailed
from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.tags.common import open_tag, tag_location
from liqueue.liquid.values import loggable
from liqueue.logs import message_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token


class RaiseNode(Node):
    __slots__ = ("arguments",)

    def __init__(self, token: Token, arguments: Arguments) -> None:
        super().__init__(token)
        self.arguments = arguments

    def __str__(self) -> str:
        return "{% raise %}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        message = message_of(loggable(self.arguments.positional[0].evaluate(context)))
        raise JobFailed(message or "job failed", tag_location(context, self.token))

    def expressions(self) -> Iterable[Expression]:
        yield from self.arguments.positional


class RaiseTag(Tag):
    name = "raise"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, tokens = open_tag(stream, self.name)
        arguments = parse_arguments(self.env, tokens)
        if len(arguments.positional) != 1 or arguments.keywords:
            raise LiquidSyntaxError("raise takes one message", token=token)
        return RaiseNode(token, arguments)
