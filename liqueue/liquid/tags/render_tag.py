"""`{% render %}` whose keyword arguments may be filtered expressions (see include_tag)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from liquid.builtin.expressions import (
    Identifier,
    Path,
    StringLiteral,
    parse_primitive,
)
from liquid.builtin.tags.render_tag import BIND_TAGS, RenderTag
from liquid.exceptions import LiquidSyntaxError
from liquid.token import TOKEN_FOR, TOKEN_TAG

from liqueue.liquid.tags.partials import parse_partial_tail

if TYPE_CHECKING:
    from liquid.ast import Node
    from liquid.expression import Expression
    from liquid.stream import TokenStream


class PlatformRenderTag(RenderTag):
    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        tokens = stream.into_inner(tag=token, eat=False)
        name: Expression | Identifier = parse_primitive(self.env, tokens)
        if isinstance(name, Path):
            head = name.head()
            if len(name.path) != 1 or not isinstance(head, str):
                raise LiquidSyntaxError("expected an identifier, found a path", token=name.token)
            name = Identifier(head, token=name.token)
        elif not isinstance(name, StringLiteral):
            raise LiquidSyntaxError("expected a string or identifier", token=name.token)
        loop = tokens.current.kind == TOKEN_FOR
        var, alias, keywords = parse_partial_tail(self.env, tokens, "render", BIND_TAGS)
        return self.node_class(
            token, name, var=var, loop=loop and var is not None, alias=alias, args=keywords
        )
