"""`{% response_headers '{"X-A": "b"}' %}`: add headers to the page's response.

The value is JSON text (as the platform takes it) or a hash; later tags
replace earlier values of the same header.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
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


class ResponseHeadersNode(Node):
    __slots__ = ("arguments",)

    def __init__(self, token: Token, arguments: Arguments) -> None:
        super().__init__(token)
        self.arguments = arguments

    def __str__(self) -> str:
        return "{% response_headers %}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        value = self.arguments.positional[0].evaluate(context)
        where = tag_location(context, self.token)
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as err:
                raise TemplateError(f"response_headers: not valid JSON: {err.msg}", where) from None
        if not isinstance(value, Mapping):
            raise TemplateError("response_headers takes a JSON object of header names", where)
        headers = state_of(context).response.headers
        for name, header in value.items():
            text = str(header)
            if "\n" in text or "\r" in text or "\n" in str(name) or "\r" in str(name):
                raise TemplateError(f"response_headers: header {name!r} holds a line break", where)
            headers[str(name)] = text
        return 0

    def expressions(self) -> Iterable[Expression]:
        yield from self.arguments.positional


class ResponseHeadersTag(Tag):
    name = "response_headers"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, tokens = open_tag(stream, self.name)
        arguments = parse_arguments(self.env, tokens)
        if len(arguments.positional) != 1 or arguments.keywords:
            raise LiquidSyntaxError(
                'response_headers takes one JSON object, like \'{"X-A": "b"}\'', token=token
            )
        return ResponseHeadersNode(token, arguments)
