"""Expressions as closures `evaluate(context) -> value`.

Each closure does what the expression's `evaluate` does; an expression of
another kind (or a subclass changing `evaluate`) is evaluated by its own
`evaluate`. Paths read plain data through `liqueue.liquid.lookups` and hand
anything else to the context's `get`, as `AppContext.get` does.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from liquid.builtin.expressions import FilteredExpression, Path
from liquid.builtin.expressions.arguments import KeywordArgument, PositionalArgument
from liquid.builtin.expressions.filtered import Filter
from liquid.builtin.expressions.primitive import Literal, StringLiteral
from liquid.builtin.filters import math as math_filters
from liquid.exceptions import FilterArgumentError, LiquidTypeError
from markupsafe import Markup

from liqueue.liquid.compiler.conditions import compile_condition
from liqueue.liquid.lookups import MISS, lookup_segments

if TYPE_CHECKING:
    from liquid import Environment, RenderContext
    from liquid.expression import Expression
    from liquid.token import Token

Evaluate = Callable[["RenderContext"], object]
ApplyFilter = Callable[[object, "RenderContext"], object]

_LITERAL_EVALUATE = Literal.evaluate
_STRING_EVALUATE = StringLiteral.evaluate
_PATH_EVALUATE = Path.evaluate
_FILTERED_EVALUATE = FilteredExpression.evaluate
_FILTER_EVALUATE = Filter.evaluate
_FILTER_EVALUATE_ARGS = Filter.evaluate_args

# What python-liquid's `plus`, `minus` and `times` return for two ints, without
# the number coercions around it: a job summing prices calls them in a loop.
_INT_ARITHMETIC: dict[object, Callable[[int, int], int]] = {
    math_filters.plus: operator.add,
    math_filters.minus: operator.sub,
    math_filters.times: operator.mul,
}


def compile_expression(expression: Expression, env: Environment) -> Evaluate:
    evaluate = type(expression).evaluate
    if evaluate is _LITERAL_EVALUATE:
        return _literal(expression)
    if evaluate is _STRING_EVALUATE:
        return _string(expression)
    if evaluate is _PATH_EVALUATE and isinstance(expression, Path):
        return _path(expression)
    if evaluate is _FILTERED_EVALUATE and isinstance(expression, FilteredExpression):
        return _filtered(expression, env)
    return compile_condition(expression, env, compile_expression) or expression.evaluate


def _literal(expression: Expression) -> Evaluate:
    value = expression.value  # type: ignore[attr-defined]

    def literal(_context: RenderContext) -> object:
        return value

    return literal


def _string(expression: Expression) -> Evaluate:
    value = expression.value  # type: ignore[attr-defined]

    def string(context: RenderContext) -> object:
        return Markup(value) if context.autoescape else value

    return string


def _path(expression: Path) -> Evaluate:
    segments = expression.path
    if any(isinstance(segment, Path) for segment in segments):
        return expression.evaluate
    token = expression.token
    root = segments[0]
    rest = tuple(segments[1:])

    def path(context: RenderContext) -> object:
        # Only an AppContext renders compiled: its scope is a ScopeChain.
        found = lookup_segments(context.scope, root, rest)  # type: ignore[arg-type]
        if found is MISS:
            return context.get(list(segments), token=token)
        return found

    if root.__class__ is not str or len(rest) > 1 or (rest and rest[0].__class__ is not str):
        return path
    key = rest[0] if rest else None

    def name_or_member(context: RenderContext) -> object:
        # `total` or `item.price`, the commonest paths: `lookup_segments`
        # unrolled for a name and one key of a dict; anything else goes to `path`.
        for mapping in context.scope.maps:  # type: ignore[attr-defined]
            if mapping.__class__ is dict:
                obj = mapping.get(root, MISS)
                if obj is not MISS:
                    break
            elif root in mapping:
                obj = mapping[root]
                break
        else:
            return context.get(list(segments), token=token)
        if key is None:
            return obj
        if obj.__class__ is dict:
            found = obj.get(key, MISS)
            if found is not MISS:
                return found
        return path(context)

    return name_or_member


def _filtered(expression: FilteredExpression, env: Environment) -> Evaluate:
    left = compile_expression(expression.left, env)
    filters = [_filter(f, env) for f in expression.filters or ()]
    if not filters:
        return left
    if len(filters) == 1:
        (only,) = filters

        def filtered_once(context: RenderContext) -> object:
            return only(left(context), context)

        return filtered_once

    def filtered(context: RenderContext) -> object:
        value = left(context)
        for apply in filters:
            value = apply(value, context)
        return value

    return filtered


def _filter(node: Filter, env: Environment) -> ApplyFilter:
    """`Filter.evaluate`, the function found once: each call checks that the
    environment still maps the name to it, and wants neither context nor
    environment, or goes the long way."""
    if type(node).evaluate is not _FILTER_EVALUATE:
        return node.evaluate
    if type(node).evaluate_args is not _FILTER_EVALUATE_ARGS:
        return node.evaluate
    func = env.filters.get(node.name)
    if func is None or getattr(func, "with_context", False):
        return node.evaluate
    if getattr(func, "with_environment", False):
        return node.evaluate
    arguments = _arguments(node, env)
    if arguments is None:
        return node.evaluate
    positional, keywords = arguments
    name = node.name
    token = node.token
    slow = node.evaluate

    def call(left: object, args: list[object], kwargs: dict[str, object]) -> object:
        try:
            return func(left, *args, **kwargs)
        except (TypeError, LiquidTypeError, FilterArgumentError) as err:
            raise _placed(err, name, token)  # noqa: B904 (_placed keeps the cause)

    if keywords or len(positional) > 1:

        def apply(left: object, context: RenderContext) -> object:
            if context.env.filters.get(name) is not func:
                return slow(left, context)
            args = [evaluate(context) for evaluate in positional]
            return call(left, args, {key: evaluate(context) for key, evaluate in keywords})

        return apply

    # The usual filters, `upcase` or `plus: item.price`: the same call, unrolled.
    if positional:
        (argument,) = positional
        ints = _INT_ARITHMETIC.get(func)

        def apply_one(left: object, context: RenderContext) -> object:
            if context.env.filters.get(name) is not func:
                return slow(left, context)
            value = argument(context)
            if ints is not None and left.__class__ is int and value.__class__ is int:
                return ints(left, value)
            try:
                return func(left, value)
            except (TypeError, LiquidTypeError, FilterArgumentError) as err:
                raise _placed(err, name, token)  # noqa: B904 (_placed keeps the cause)

        return apply_one

    def apply_none(left: object, context: RenderContext) -> object:
        if context.env.filters.get(name) is not func:
            return slow(left, context)
        try:
            return func(left)
        except (TypeError, LiquidTypeError, FilterArgumentError) as err:
            raise _placed(err, name, token)  # noqa: B904 (_placed keeps the cause)

    return apply_none


def _placed(err: Exception, name: str, token: Token) -> Exception:
    """What Filter.evaluate raises for a filter function's error: a TypeError
    (bad arguments) as a LiquidTypeError naming the filter, python-liquid's own
    errors given the filter's token."""
    if isinstance(err, TypeError):
        wrapped = LiquidTypeError(f"{name}: {err}", token=token)
        wrapped.__cause__ = err  # as `raise wrapped from err` would
        wrapped.__suppress_context__ = True
        return wrapped
    assert isinstance(err, (LiquidTypeError, FilterArgumentError))
    err.token = token
    return err


def _arguments(
    node: Filter, env: Environment
) -> tuple[list[Evaluate], list[tuple[str, Evaluate]]] | None:
    """The filter's arguments, positional and keyword, in the order written;
    None if an argument is not a plain one or a positional one follows a
    keyword (python-liquid evaluates them all in order)."""
    positional: list[Evaluate] = []
    keywords: list[tuple[str, Evaluate]] = []
    for arg in node.args:
        kind: Any = type(arg)
        if kind is PositionalArgument and not keywords:
            positional.append(compile_expression(arg.value, env))
        elif kind is KeywordArgument:
            keywords.append((arg.name, compile_expression(arg.value, env)))  # type: ignore[union-attr]
        else:
            return None
    return positional, keywords
