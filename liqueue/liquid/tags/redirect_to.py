"""`{% redirect_to '/path' %}`, `{% redirect_to url, status: 301 %}`: answer with a redirect.

The page's output is discarded and the response redirects (302 unless
`status` says otherwise); the page still renders to its end, so what it
queued before and after the tag is queued, as for any rendered page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from liquid.ast import Node
from liquid.builtin.expressions.primitive import IntegerLiteral
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag
from liquid.undefined import Undefined

from liqueue.errors import TemplateError
from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.routes import REDIRECT_CODES
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import open_tag, tag_location

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token


class RedirectToNode(Node):
    __slots__ = ("arguments",)

    def __init__(self, token: Token, arguments: Arguments) -> None:
        super().__init__(token)
        self.arguments = arguments

    def __str__(self) -> str:
        return "{% redirect_to %}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        url = self.arguments.positional[0].evaluate(context)
        if isinstance(url, Undefined) or url is None or str(url).strip() == "":
            raise TemplateError("redirect_to needs a URL", tag_location(context, self.token))
        status_arg = self.arguments.keyword("status")
        status = status_arg.value.evaluate(context) if status_arg else 302
        try:
            code = int(status)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            code = 0
        if code not in REDIRECT_CODES:
            raise TemplateError(
                f"redirect_to status must be one of {', '.join(map(str, REDIRECT_CODES))}, "
                f"got {status!r}",
                tag_location(context, self.token),
            )
        response = state_of(context).response
        response.redirect_to = str(url)
        response.redirect_status = code
        return 0

    def expressions(self) -> Iterable[Expression]:
        yield from self.arguments.positional
        yield from (arg.value for arg in self.arguments.keywords)


class RedirectToTag(Tag):
    name = "redirect_to"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, tokens = open_tag(stream, self.name)
        arguments = parse_arguments(self.env, tokens)
        if len(arguments.positional) != 1:
            raise LiquidSyntaxError("redirect_to takes one URL, then optional status:", token=token)
        for arg in arguments.keywords:
            if arg.name != "status":
                raise LiquidSyntaxError(
                    f"redirect_to has no argument '{arg.name}' (only status)", token=arg.token
                )
            literal = arg.value
            if isinstance(literal, IntegerLiteral) and literal.value not in REDIRECT_CODES:
                raise LiquidSyntaxError(
                    f"redirect_to status must be one of {', '.join(map(str, REDIRECT_CODES))}",
                    token=arg.token,
                )
        return RedirectToNode(token, arguments)
