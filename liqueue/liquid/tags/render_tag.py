"""`{% render %}` whose keyword arguments may be filtered expressions (see include_tag)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from liquid.builtin.expressions import (
    Identifier,
    Path,
    StringLiteral,
    parse_identifier,
    parse_primitive,
)
from liquid.builtin.tags.render_tag import BIND_TAGS, RenderTag
from liquid.exceptions import LiquidSyntaxError
from liquid.token import TOKEN_AS, TOKEN_FOR, TOKEN_TAG, TOKEN_WORD

from liqueue.liquid.arguments import parse_arguments
from liqueue.liquid.tags.common import report_missing_partial

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
        alias: Identifier | None = None
        var: Path | None = None
        loop = False
        if tokens.current.kind in BIND_TAGS:
            loop = tokens.current.kind == TOKEN_FOR
            next(tokens)
            tokens.expect(TOKEN_WORD)
            var = Path.parse(self.env, tokens)
            if tokens.current.kind == TOKEN_AS:
                next(tokens)
                tokens.expect(TOKEN_WORD)
                alias = parse_identifier(self.env, tokens)
        arguments = parse_arguments(self.env, tokens)
        if arguments.positional:
            raise LiquidSyntaxError(
                "render takes name: value arguments", token=arguments.positional[0].token
            )
        report_missing_partial(self.env, name)
        return self.node_class(
            token, name, var=var, loop=loop, alias=alias, args=arguments.keywords
        )
