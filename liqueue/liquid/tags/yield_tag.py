"""`{% yield 'name' %}`: print the text pages gave with `content_for 'name'`.

Used in layouts; a name no page filled prints nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag

from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import open_tag

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token


class YieldNode(Node):
    __slots__ = ("arguments",)

    def __init__(self, token: Token, arguments: Arguments) -> None:
        super().__init__(token)
        self.arguments = arguments

    def __str__(self) -> str:
        return "{% yield %}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        name = str(self.arguments.positional[0].evaluate(context))
        return buffer.write(state_of(context).response.blocks.get(name, ""))

    def expressions(self) -> Iterable[Expression]:
        yield from self.arguments.positional


class YieldTag(Tag):
    name = "yield"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, tokens = open_tag(stream, self.name)
        arguments = parse_arguments(self.env, tokens)
        if len(arguments.positional) != 1 or arguments.keywords:
            raise LiquidSyntaxError("yield takes one name, like 'head'", token=token)
        return YieldNode(token, arguments)
