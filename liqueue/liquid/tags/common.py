"""Helpers shared by the platform tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from liquid.exceptions import LiquidSyntaxError
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG

from liqueue.errors import Location
from liqueue.liquid.positions import line_col, tag_start, token_location

if TYPE_CHECKING:
    from liquid import RenderContext
    from liquid.stream import TokenStream
    from liquid.token import Token


def template_path(context: RenderContext) -> str:
    template = context.template
    return str(template.path or template.name)


def tag_location(context: RenderContext, token: Token) -> Location:
    """Where a tag starts: its `{%`, or its name inside `{% liquid %}`."""
    line, column = line_col(token.source, tag_start(token))
    return Location(template_path(context), line, column)


def at(context: RenderContext, token: Token) -> Location:
    """Where a token (an argument, a value) is."""
    return token_location(template_path(context), token)


def readable_name(path: str) -> str:
    """`app/views/pages/orders/create.liquid` -> `pages/orders/create`."""
    name = path.removesuffix(".liquid")
    for prefix in ("app/views/", "app/"):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def open_tag(stream: TokenStream, name: str) -> tuple[Token, TokenStream]:
    """Eat the tag token and return it with a stream over its expression."""
    token = stream.eat(TOKEN_TAG)
    if stream.current.kind != TOKEN_EXPRESSION:
        raise LiquidSyntaxError(f"`{name}` needs an expression", token=token)
    return token, stream.into_inner(tag=token, eat=False)
