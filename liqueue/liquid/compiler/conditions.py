"""`if`, `unless` and `elsif` conditions as closures.

Each closure does what its expression's `evaluate` does, on compiled parts:
a condition's paths then read plain data directly, as output paths do.
Values of the plain JSON types take a short path (a string is never
undefined and has no `__liquid__`); anything else goes to python-liquid's
own module functions, looked up at each call: liqueue replaces `_eq` once
per process (Ruby's `blank`, see `liqueue.liquid.ruby_blank`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from liquid.builtin.expressions import logical
from liquid.builtin.expressions.logical import (
    BooleanExpression,
    ContainsExpression,
    EqExpression,
    GeExpression,
    GtExpression,
    LeExpression,
    LogicalAndExpression,
    LogicalOrExpression,
    LtExpression,
    NeExpression,
)

if TYPE_CHECKING:
    from liquid import Environment, RenderContext
    from liquid.expression import Expression

Evaluate = Callable[["RenderContext"], object]
CompileChild = Callable[["Expression", "Environment"], Evaluate]

# Exact classes only: bool is an int to Python, never to Liquid's comparisons.
_PLAIN = frozenset({str, int, float, list, dict, bool, type(None)})
_NUMBERS = frozenset({int, float})
# Neither undefined, nor empty or blank, nor a bool: `_eq` would compare them with `==`.
_SCALARS = frozenset({str, int, float, type(None)})


def truthy(value: object) -> bool:
    if value.__class__ in _PLAIN:
        return value is not False and value is not None
    return logical.is_truthy(value)


def _eq(left: object, right: object) -> bool:
    if left.__class__ in _SCALARS and right.__class__ in _SCALARS:
        return left == right
    return logical._eq(left, right)


def _ordered(left: object, right: object) -> bool:
    """Both strings or both (non-bool) numbers: Python's own order is Liquid's."""
    kind = left.__class__
    other = right.__class__
    return (kind is str and other is str) or (kind in _NUMBERS and other in _NUMBERS)


def compile_condition(
    expression: Expression, env: Environment, compile_child: CompileChild
) -> Evaluate | None:
    """The closure for a logical or comparison expression; None for any other
    (`not` and parentheses are not standard Liquid: the app's environment
    parses neither)."""
    evaluate = type(expression).evaluate
    if evaluate is BooleanExpression.evaluate:
        inner = compile_child(expression.expression, env)  # type: ignore[attr-defined]
        return lambda context: truthy(inner(context))
    compiled = _binary.get(evaluate)
    if compiled is None:
        return None
    return compiled(
        expression,
        compile_child(expression.left, env),  # type: ignore[attr-defined]
        compile_child(expression.right, env),  # type: ignore[attr-defined]
    )


Binary = Callable[["Expression", Evaluate, Evaluate], Evaluate]


def _and(_expression: Expression, left: Evaluate, right: Evaluate) -> Evaluate:
    return lambda context: truthy(left(context)) and truthy(right(context))


def _or(_expression: Expression, left: Evaluate, right: Evaluate) -> Evaluate:
    return lambda context: truthy(left(context)) or truthy(right(context))


def _equal(_expression: Expression, left: Evaluate, right: Evaluate) -> Evaluate:
    return lambda context: _eq(left(context), right(context))


def _not_equal(_expression: Expression, left: Evaluate, right: Evaluate) -> Evaluate:
    return lambda context: not _eq(left(context), right(context))


def _order(
    expression: Expression, left: Evaluate, right: Evaluate, *, swap: bool, strict: bool
) -> Evaluate:
    """`<` (strict) or `<=`, the operands swapped for `>` and `>=`."""
    token = expression.token

    def order(context: RenderContext) -> object:
        a = left(context)
        b = right(context)
        if swap:
            a, b = b, a
        if _ordered(a, b):
            return a < b if strict else a <= b  # type: ignore[operator]
        return logical._lt(token, a, b) if strict else logical._le(a, b)

    return order


def _contains(expression: Expression, left: Evaluate, right: Evaluate) -> Evaluate:
    token = expression.token
    return lambda context: logical._contains(token, left(context), right(context))


# Both operands are evaluated left first, as python-liquid does, then swapped for > and >=.
_binary: dict[object, Binary] = {
    LogicalAndExpression.evaluate: _and,
    LogicalOrExpression.evaluate: _or,
    EqExpression.evaluate: _equal,
    NeExpression.evaluate: _not_equal,
    LtExpression.evaluate: lambda e, left, right: _order(e, left, right, swap=False, strict=True),
    GtExpression.evaluate: lambda e, left, right: _order(e, left, right, swap=True, strict=True),
    LeExpression.evaluate: lambda e, left, right: _order(e, left, right, swap=False, strict=False),
    GeExpression.evaluate: lambda e, left, right: _order(e, left, right, swap=True, strict=False),
    ContainsExpression.evaluate: _contains,
}
