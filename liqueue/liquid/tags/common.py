"""Helpers shared by the platform tags."""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

from liquid.builtin.expressions import Identifier, Path, StringLiteral, parse_identifier
from liquid.exceptions import LiquidSyntaxError, TemplateNotFoundError
from liquid.token import TOKEN_AS, TOKEN_EXPRESSION, TOKEN_TAG, TOKEN_WORD

from liqueue.errors import Location
from liqueue.liquid.arguments import parse_arguments
from liqueue.liquid.positions import line_col, tag_start, token_location

if TYPE_CHECKING:
    from liquid import Environment, RenderContext
    from liquid.builtin.expressions import KeywordArgument
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


def report_missing_partial(env: Environment, name: object) -> None:
    """For `liqueue check`: a partial named by a literal that no file provides."""
    checker = getattr(env, "checker", None)
    find = getattr(env.loader, "find_partial", None)
    if checker is None or not callable(find) or not isinstance(name, StringLiteral):
        return
    try:
        find(name.value)
    except TemplateNotFoundError as err:
        checker.report(name.token, str(err.message), "error")


def parse_partial_tail(
    env: Environment, tokens: TokenStream, tag: str, bind_kinds: Container[str]
) -> tuple[Path | None, Identifier | None, list[KeywordArgument]]:
    """What follows the partial name in `include` and `render`: an optional
    `with`/`for` binding (`as alias`), then name: value arguments."""
    var: Path | None = None
    alias: Identifier | None = None
    if tokens.current.kind in bind_kinds:
        next(tokens)
        tokens.expect(TOKEN_WORD)
        var = Path.parse(env, tokens)
        if tokens.current.kind == TOKEN_AS:
            next(tokens)
            tokens.expect(TOKEN_WORD)
            alias = parse_identifier(env, tokens)
    arguments = parse_arguments(env, tokens)
    if arguments.positional:
        raise LiquidSyntaxError(
            f"{tag} takes name: value arguments", token=arguments.positional[0].token
        )
    return var, alias, arguments.keywords
