"""Templates that keep positions python-liquid would lose, rendered compiled."""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING, Any, TextIO

from liquid import BoundTemplate
from liquid.exceptions import (
    LiquidError,
    LiquidInterrupt,
    LiquidSyntaxError,
    StopRender,
)

from liqueue.liquid.compiler import compile_nodes
from liqueue.liquid.compiler.nodes import push_scope
from liqueue.liquid.output import AppContext, output_buffer
from liqueue.liquid.positions import placed

if TYPE_CHECKING:
    from liquid import RenderContext

    from liqueue.liquid.compiler.nodes import Render


class AppTemplate(BoundTemplate):
    """A template that places errors raised while it renders in its file.

    Its nodes render through closures compiled on first use
    (`liqueue.liquid.compiler`), kept with the template: the loader caches
    templates, so a partial or a job's body is compiled once per process.
    """

    context_class = AppContext
    # Tests set it to False on an instance to render python-liquid's way.
    compiled = True
    _renders: list[Render] | None = None

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
            if self.compiled and isinstance(context, AppContext):
                self._render_compiled(context, buffer, args, kwargs, partial, block_scope)
            else:
                super().render_with_context(
                    context, buffer, *args, partial=partial, block_scope=block_scope, **kwargs
                )
        except LiquidError as err:
            wrapped = placed(err, str(self.path or self.name))
            if wrapped is err:
                raise
            raise wrapped from err

    def _render_compiled(
        self,
        context: AppContext,
        buffer: TextIO,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        partial: bool,
        block_scope: bool,
    ) -> None:
        """python-liquid's `BoundTemplate.render_with_context`, each node's
        `render` replaced by its compiled closure."""
        renders = self._renders
        if renders is None:
            # Two threads may both compile: the closures are alike and either will do.
            renders = self._renders = compile_nodes(self.nodes, self.env)
        namespace = self.make_partial_namespace(partial, dict(*args, **kwargs))
        # `context.extend(namespace)` by hand: its generator-based context
        # manager cost more than a small job body's whole render.
        push_scope(context, namespace)
        scope = context.scope
        try:
            for node, render in zip(self.nodes, renders, strict=True):
                try:
                    render(context, buffer)
                except LiquidInterrupt as err:
                    if not partial or block_scope:
                        self.env.error(LiquidSyntaxError(f"unexpected '{err}'", token=node.token))
                    else:
                        raise
                except StopRender:
                    break
                except LiquidError as err:
                    self.env.error(err, token=node.token)
        finally:
            scope.pop()
