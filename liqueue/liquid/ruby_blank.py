"""Ruby Liquid's `blank`: nil, false and undefined values are blank.

Platform code checks required values with `{% if x == blank %}`; python-liquid
2.3 answers false when `x` is nil or missing, so such a check silently
passes. Its comparison is a module function with no per-environment hook,
so this wraps it once, for the process: only comparisons with `blank`
change, everything else goes to python-liquid's own `_eq`.
"""

from __future__ import annotations

from collections.abc import Callable

from liquid.builtin.expressions import logical
from liquid.builtin.expressions.primitive import Blank
from liquid.builtin.tags import case_tag
from liquid.undefined import is_undefined

_python_liquid_eq: Callable[[object, object], bool] = logical._eq


def _nil_like(value: object) -> bool:
    return value is None or value is False or is_undefined(value)


def ruby_eq(left: object, right: object) -> bool:
    if isinstance(right, Blank) and _nil_like(left):
        return True
    if isinstance(left, Blank) and _nil_like(right):
        return True
    return _python_liquid_eq(left, right)


def install() -> None:
    logical._eq = ruby_eq
    vars(case_tag)["_eq"] = ruby_eq  # imported there by name
