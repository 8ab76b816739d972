"""`{% log value, type: 'some type' %}`: a log entry, kept with the render's outbox.

The value may be a filtered expression; objects are logged as JSON. Without
`type` the entry's type is `info`. Inside a job the entry carries the job's
id, source name and attempt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag
from liquid.undefined import Undefined

from liqueue.errors import Location, TemplateError
from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.compiler.expressions import compile_expression
from liqueue.liquid.positions import line_col, tag_start
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import open_tag, template_path
from liqueue.liquid.values import TooLarge, loggable
from liqueue.logs import message_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import Environment, RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token

    from liqueue.liquid.compiler.nodes import Render


class LogNode(Node):
    __slots__ = ("_column", "_line", "_type", "arguments")

    def __init__(self, token: Token, arguments: Arguments) -> None:
        super().__init__(token)
        self.arguments = arguments
        type_arg = arguments.keyword("type")
        self._type = type_arg.value if type_arg else None
        # Known once parsed; a job logging on every attempt need not work it out again.
        self._line, self._column = line_col(token.source, tag_start(token))

    def __str__(self) -> str:
        return "{% log %}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        value = self.arguments.positional[0].evaluate(context)
        log_type = self._type.evaluate(context) if self._type is not None else None
        return self._log(context, value, log_type)

    def compiled(self, env: Environment) -> Render:
        """This node's `render` as a closure, its value and type compiled
        (liquid/compiler): a job logging on every attempt evaluates them so."""
        if type(self).render_to_output is not LogNode.render_to_output:
            return self.render  # a subclass renders its own way
        value = compile_expression(self.arguments.positional[0], env)
        log_type = None if self._type is None else compile_expression(self._type, env)

        def log(context: RenderContext, _buffer: TextIO) -> int:
            if context.disabled_tags:
                self.raise_for_disabled(context.disabled_tags)
            kind = None if log_type is None else log_type(context)
            return self._log(context, value(context), kind)

        return log

    def _log(self, context: RenderContext, value: object, log_type: object) -> int:
        state = state_of(context)
        if log_type is None or isinstance(log_type, Undefined) or str(log_type).strip() == "":
            log_type = "info"
        location = Location(template_path(context), self._line, self._column)
        limit = state.limits.log_bytes
        try:
            message: str | None = message_of(loggable(value, limit))
        except TooLarge:
            message = None
        if message is None or len(message) > limit or len(message.encode()) > limit:
            raise TemplateError(
                f"the log message is more than {limit:,} bytes (limits.log_bytes): "
                "log ids and sizes, not whole objects",
                location,
            )
        state.log(str(log_type), message, location)
        return 0

    def expressions(self) -> Iterable[Expression]:
        yield from self.arguments.positional
        yield from (arg.value for arg in self.arguments.keywords)


class LogTag(Tag):
    name = "log"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, tokens = open_tag(stream, self.name)
        arguments = parse_arguments(self.env, tokens)
        if len(arguments.positional) != 1:
            raise LiquidSyntaxError("log takes one value, then optional type: '...'", token=token)
        unknown = [arg for arg in arguments.keywords if arg.name != "type"]
        if unknown:
            raise LiquidSyntaxError(
                f"log has no argument '{unknown[0].name}' (only type)", token=unknown[0].token
            )
        return LogNode(token, arguments)
