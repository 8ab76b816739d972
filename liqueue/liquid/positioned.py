"""`Positioned`: a tag's node whose position-less errors are given the tag's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidError, LiquidInterrupt, StopRender

from liqueue.errors import TemplateError, TimeLimitExceeded
from liqueue.liquid.positions import time_limit_in_chain
from liqueue.liquid.signals import ReturnSignal

if TYPE_CHECKING:
    from liquid import RenderContext
    from liquid.ast import Partial
    from liquid.builtin.expressions import Identifier
    from liquid.expression import Expression
    from liquid.token import Token


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


def positioned_error(err: Exception, token: Token) -> Exception:
    """The error to raise for `err` leaving the tag at `token`: `err` itself
    (given the tag's token if it is a python-liquid error without one), or a
    `PythonError` at the tag for a plain Python exception."""
    if isinstance(err, LiquidError):
        if err.token is None:
            err.token = token
        return err
    if isinstance(err, _PASS_THROUGH) or time_limit_in_chain(err) is not None:
        return err
    message = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    return PythonError(message, token=token)


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
        except Exception as err:
            raised = positioned_error(err, self.inner.token)
            if raised is err:
                raise
            raise raised from err

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
