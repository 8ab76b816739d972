"""`{% content_for 'name' %}...{% endcontent_for %}`: text a layout shows with `yield`.

The block renders where it stands but outputs nothing there; its text is
added to the named block, which `{% yield 'name' %}` prints in the layout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from liquid.ast import BlockNode, Node
from liquid.exceptions import LiquidSyntaxError
from liquid.parser import get_parser
from liquid.tag import Tag
from liquid.token import TOKEN_TAG

from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import open_tag

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token

TAG_END = "endcontent_for"


class ContentForNode(Node):
    __slots__ = ("arguments", "body")

    def __init__(self, token: Token, arguments: Arguments, body: BlockNode) -> None:
        super().__init__(token)
        self.arguments = arguments
        self.body = body
        self.blank = True

    def __str__(self) -> str:
        return "{% content_for %}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        name = str(self.arguments.positional[0].evaluate(context))
        captured = context.get_buffer(buffer)
        self.body.render(context, captured)
        blocks = state_of(context).response.blocks
        blocks[name] = blocks.get(name, "") + captured.getvalue()
        return 0

    def expressions(self) -> Iterable[Expression]:
        yield from self.arguments.positional

    def children(
        self, static_context: RenderContext, *, include_partials: bool = True
    ) -> Iterable[Node]:
        yield self.body


class ContentForTag(Tag):
    name = "content_for"
    end = TAG_END
    block = True

    def parse(self, stream: TokenStream) -> Node:
        token, tokens = open_tag(stream, self.name)
        arguments = parse_arguments(self.env, tokens)
        if len(arguments.positional) != 1 or arguments.keywords:
            raise LiquidSyntaxError("content_for takes one name, like 'head'", token=token)
        next(stream)  # past the expression open_tag left in place
        body = get_parser(self.env).parse_block(stream, (TAG_END,))
        stream.expect(TOKEN_TAG, value=TAG_END)
        return ContentForNode(token, arguments, body)
