"""Error helpers shared by the platform filters.

python-liquid attaches the failing filter's source position only to
`FilterArgumentError` and `LiquidTypeError` (see FilteredExpression.evaluate),
so platform filters raise exactly those two, never bare Python exceptions.
"""

from __future__ import annotations

from liquid.exceptions import FilterArgumentError, LiquidTypeError


def argument_error(filter_name: str, message: str) -> FilterArgumentError:
    return FilterArgumentError(f"{filter_name}: {message}", token=None)


def input_error(filter_name: str, message: str) -> LiquidTypeError:
    return LiquidTypeError(f"{filter_name}: {message}", token=None)


def type_name(value: object) -> str:
    """Name a value's type the way a template author thinks of it."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "hash"
    if isinstance(value, list | tuple):
        return "array"
    return type(value).__name__
