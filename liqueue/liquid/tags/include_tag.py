"""`{% include %}` whose keyword arguments may be filtered expressions.

python-liquid's own include takes plain values only, but the platform (and
the seed guide) writes `idempotency_key: order.id | append: '-'`. Parsing is
python-liquid's, except that arguments go through `liqueue.liquid.arguments`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liquid.builtin.expressions import Identifier, Path, parse_identifier, parse_string_or_path
from liquid.builtin.tags.include_tag import BIND_TOKENS, IncludeTag
from liquid.exceptions import LiquidSyntaxError
from liquid.token import TOKEN_AS, TOKEN_TAG, TOKEN_WORD

from liqueue.liquid.arguments import parse_arguments
from liqueue.liquid.tags.common import report_missing_partial

if TYPE_CHECKING:
    from liquid.ast import Node
    from liquid.stream import TokenStream


class PlatformIncludeTag(IncludeTag):
    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        tokens = stream.into_inner(tag=token, eat=False)
        name = parse_string_or_path(self.env, tokens)
        var: Path | None = None
        alias: Identifier | None = None
        if tokens.current.kind in BIND_TOKENS:
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
                "include takes name: value arguments", token=arguments.positional[0].token
            )
        report_missing_partial(self.env, name)
        return self.node_class(token, name, var, alias, arguments.keywords)
