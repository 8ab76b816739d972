"""Ranges `(a..b)` longer than the loop limit are refused where they are made.

python-liquid checks the loop limit only when a `for` starts, but a range is
a value: `(1..100000000) | join: ','` or `{% log (1..100000000) %}` builds a
hundred million items without any loop. Its range literal has no
per-environment hook, so this wraps its evaluation once, for the process;
environments without a loop limit keep python-liquid's behaviour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liquid.builtin.expressions.primitive import RangeLiteral
from liquid.exceptions import LoopIterationLimitError

if TYPE_CHECKING:
    from liquid import RenderContext

_python_liquid_evaluate = RangeLiteral.evaluate


def bounded_evaluate(self: RangeLiteral, context: RenderContext) -> range:
    made = _python_liquid_evaluate(self, context)
    limit = context.env.loop_iteration_limit
    length = made.stop - made.start  # len() overflows past sys.maxsize
    if limit and length > limit:
        raise LoopIterationLimitError(
            f"range ({made.start}..{made.stop - 1}) has {length:,} items, more than "
            f"the loop limit of {limit:,} (limits.loop_iterations)",
            token=self.token,
        )
    return made


def install() -> None:
    RangeLiteral.evaluate = bounded_evaluate  # type: ignore[method-assign]
