"""`{% response_status 201 %}`: the HTTP status of the page's response.

A status the page sets itself (a 404, a 422) still counts as rendered:
the page's jobs and events are queued.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag

from liqueue.errors import TemplateError
from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import open_tag, tag_location

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token


class ResponseStatusNode(Node):
    __slots__ = ("arguments",)

    def __init__(self, token: Token, arguments: Arguments) -> None:
        super().__init__(token)
        self.arguments = arguments

    def __str__(self) -> str:
        return "{% response_status %}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        value = self.arguments.positional[0].evaluate(context)
        try:
            status = int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            status = 0
        if not 100 <= status <= 599:
            raise TemplateError(
                f"response_status must be an HTTP status from 100 to 599, got {value!r}",
                tag_location(context, self.token),
            )
        state_of(context).response.status = status
        return 0

    def expressions(self) -> Iterable[Expression]:
        yield from self.arguments.positional


class ResponseStatusTag(Tag):
    name = "response_status"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, tokens = open_tag(stream, self.name)
        arguments = parse_arguments(self.env, tokens)
        if len(arguments.positional) != 1 or arguments.keywords:
            raise LiquidSyntaxError("response_status takes one status, like 201", token=token)
        return ResponseStatusNode(token, arguments)
