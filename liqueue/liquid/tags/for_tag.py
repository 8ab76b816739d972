"""`{% for %}` as python-liquid parses and renders it, its loop variable a plain str.

python-liquid keeps the name as an `Identifier`, a str subclass that compares
and hashes in Python: the loop's namespace is keyed by it, so every lookup
of the loop variable inside the body (`item.price`, twenty times in a
twenty-item loop) called two Python methods. The plain str is the same name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liquid.builtin.tags.for_tag import ForNode, ForTag

if TYPE_CHECKING:
    from liquid.ast import BlockNode
    from liquid.builtin.expressions import LoopExpression
    from liquid.token import Token


class PlainNameForNode(ForNode):
    __slots__ = ()

    def __init__(
        self,
        token: Token,
        expression: LoopExpression,
        block: BlockNode,
        default: BlockNode | None = None,
    ) -> None:
        expression.identifier = str(expression.identifier)
        super().__init__(token, expression, block, default)


class PlainNameForTag(ForTag):
    node_class = PlainNameForNode
