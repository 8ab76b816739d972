"""Templates and nodes that keep positions python-liquid would lose."""

from __future__ import annotations

from collections.abc import Iterable
from io import StringIO
from typing import TYPE_CHECKING, Any, TextIO

from liquid import BoundTemplate
from liquid.ast import Node
from liquid.exceptions import LiquidError, LiquidInterrupt, StopRender

from liqueue.errors import TemplateError, TimeLimitExceeded
from liqueue.liquid.output import AppContext, output_buffer
from liqueue.liquid.positions import placed, time_limit_in_chain
from liqueue.liquid.signals import ReturnSignal

if TYPE_CHECKING:
    from liquid import RenderContext
    from liquid.ast import Partial
    from liquid.builtin.expressions import Identifier
    from liquid.expression import Expression


class AppTemplate(BoundTemplate):
    """A template that places errors raised while it renders in its file."""

    context_class = AppContext

    def _get_buffer(self) -> StringIO:
        return output_buffer(self.env.output_stream_limit)

    def render_with_context(
        self,
        context: RenderContext,
        buffer: TextIO,
        *args: Any,
        partial: bool = False,
        block_scope: bool = False,
        **kwargs: Any,
    ) -> None:
        try:
            super().render_with_context(
                context, buffer, *args, partial=partial, block_scope=block_scope, **kwargs
            )
        except LiquidError as err:
            wrapped = placed(err, str(self.path or self.name))
            if wrapped is err:
                raise
            raise wrapped from err


class PythonError(LiquidError):
    """A plain Python exception (from a filter, a drop) given a position."""


# Control flow and errors that already carry their own location.
_PASS_THROUGH = (
    LiquidError,
    TemplateError,
    TimeLimitExceeded,
    LiquidInterrupt,
    StopRender,
    ReturnSignal,
)


class Positioned(Node):
    """Wraps a tag's node so errors raised without a position (loop and
    namespace limits, recursion depth, exceptions of filters) point at this
    tag rather than at the enclosing top-level node, or nowhere."""

    __slots__ = ("inner",)

    def __init__(self, inner: Node) -> None:
        super().__init__(inner.token)
        self.inner = inner
        self.blank = inner.blank

    def __str__(self) -> str:
        return str(self.inner)

    def render(self, context: RenderContext, buffer: TextIO) -> int:
        try:
            return self.inner.render(context, buffer)
        except LiquidError as err:
            if err.token is None:
                err.token = self.inner.token
            raise
        except _PASS_THROUGH:
            raise
        except Exception as err:
            if time_limit_in_chain(err) is not None:
                raise
            message = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
            raise PythonError(message, token=self.inner.token) from err

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return self.inner.render_to_output(context, buffer)

    def children(
        self, static_context: RenderContext, *, include_partials: bool = True
    ) -> Iterable[Node]:
        return self.inner.children(static_context, include_partials=include_partials)

    def expressions(self) -> Iterable[Expression]:
        return self.inner.expressions()

    def template_scope(self) -> Iterable[Identifier]:
        return self.inner.template_scope()

    def block_scope(self) -> Iterable[Identifier]:
        return self.inner.block_scope()

    def partial_scope(self) -> Partial | None:
        return self.inner.partial_scope()
