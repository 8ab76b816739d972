"""`{% include %}` whose keyword arguments may be filtered expressions.

python-liquid's own include takes plain values only, but the platform (and
the seed guide) writes `idempotency_key: order.id | append: '-'`. Parsing is
python-liquid's, except that arguments go through `liqueue.liquid.arguments`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liquid.builtin.expressions import parse_string_or_path
from liquid.builtin.tags.include_tag import BIND_TOKENS, IncludeTag
from liquid.token import TOKEN_TAG

from liqueue.liquid.tags.partials import parse_partial_tail

if TYPE_CHECKING:
    from liquid.ast import Node
    from liquid.stream import TokenStream


class PlatformIncludeTag(IncludeTag):
    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        tokens = stream.into_inner(tag=token, eat=False)
        name = parse_string_or_path(self.env, tokens)
        var, alias, keywords = parse_partial_tail(self.env, tokens, "include", BIND_TOKENS)
        return self.node_class(token, name, var, alias, keywords)
