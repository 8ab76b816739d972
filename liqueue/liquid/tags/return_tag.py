"""`{% return value %}`: end a partial called with `function`, giving its value.

Rendering stops at once, like a `return` statement, up to the nearest
`function` tag (or `Runtime.call_function`). In a page or a job body it just
stops rendering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag

from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.signals import ReturnSignal

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token


class ReturnNode(Node):
    __slots__ = ("arguments",)

    def __init__(self, token: Token, arguments: Arguments) -> None:
        super().__init__(token)
        self.arguments = arguments

    def __str__(self) -> str:
        return "{% return %}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        values = self.arguments.positional
        raise ReturnSignal(values[0].evaluate(context) if values else None)

    def expressions(self) -> Iterable[Expression]:
        yield from self.arguments.positional


class ReturnTag(Tag):
    name = "return"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG

        token = stream.eat(TOKEN_TAG)
        if stream.current.kind != TOKEN_EXPRESSION:
            return ReturnNode(token, Arguments([], []))
        arguments = parse_arguments(self.env, stream.into_inner(tag=token, eat=False))
        if len(arguments.positional) != 1 or arguments.keywords:
            raise LiquidSyntaxError("return takes one value", token=token)
        return ReturnNode(token, arguments)
