"""Recovering from mismatched and unclosed blocks with a useful position.

python-liquid reports an unclosed block as "found end of expression" with no
position, and a block closed by the wrong end tag (`{% capture %}...{% endcomment %}`)
as an unexpected tag followed by a cascade of errors. Before parsing, the
token list is walked once: a wrong end tag is reported and replaced by the
right one, so parsing (and `check`) carries on as the author meant. Unclosed
blocks are reported at their opening tag by `keep_positions`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token

from liqueue.liquid.positions import line_col

if TYPE_CHECKING:
    from liquid import Environment
    from liquid.ast import Node
    from liquid.stream import TokenStream
    from liquid.tag import Tag


@dataclass
class _Open:
    name: str
    end: str
    token: Token


def opens_block(tag: Tag, expression: str | None) -> bool:
    """Whether this use of `tag` needs an end tag. Tags with a block-less form
    (`background x = 'partial'`) decide for themselves."""
    decide = getattr(tag, "opens_block", None)
    if callable(decide):
        return bool(decide(expression))
    return bool(tag.block and tag.end)


def balance(env: Environment, tokens: Iterable[Token]) -> list[Token]:
    """Return the tokens with wrong end tags replaced, reporting each through env.error."""
    listed = list(tokens)
    end_names = {tag.end for tag in env.tags.values() if tag.end}
    stack: list[_Open] = []
    out: list[Token] = []
    for index, token in enumerate(listed):
        if token.kind != TOKEN_TAG:
            out.append(token)
            continue
        tag = env.tags.get(token.value)
        if tag is not None and token.value not in end_names:
            following = listed[index + 1] if index + 1 < len(listed) else None
            expression = (
                following.value if following and following.kind == TOKEN_EXPRESSION else None
            )
            if opens_block(tag, expression):
                stack.append(_Open(token.value, tag.end, token))
            out.append(token)
            continue
        if token.value not in end_names or not stack:
            out.append(token)  # python-liquid reports strays itself
            continue
        if stack[-1].end == token.value:
            stack.pop()
            out.append(token)
        elif any(block.end == token.value for block in stack):
            # Blocks opened inside the one being closed were never closed.
            while stack[-1].end != token.value:
                block = stack.pop()
                env.error(_never_closed(block.name, block.end, block.token))
                out.append(Token(TOKEN_TAG, block.end, token.start_index, token.source))
            stack.pop()
            out.append(token)
        else:
            block = stack.pop()
            line, _ = line_col(block.token.source, block.token.start_index)
            env.error(
                LiquidSyntaxError(
                    f"`{block.name}` opened on line {line} is closed by `{token.value}`"
                    f" (expected {block.end})",
                    token=token,
                )
            )
            out.append(Token(TOKEN_TAG, block.end, token.start_index, token.source))
    return out


def _never_closed(name: str, end: str, token: Token) -> LiquidSyntaxError:
    return LiquidSyntaxError(f"`{name}` opened here is never closed (expected {end})", token=token)


def keep_positions(tag: Tag) -> None:
    """Make `tag` report errors python-liquid leaves without a position: an
    unclosed block at its opening tag, an expression ending too early at its end."""
    parse: Callable[[TokenStream], Node] = tag.parse

    def parse_keeping_positions(stream: TokenStream) -> Node:
        opening = stream.current
        expression = stream.peek if stream.peek.kind == TOKEN_EXPRESSION else None
        try:
            return parse(stream)
        except LiquidError as err:
            if err.token is not None and err.token.start_index >= 0:
                raise
            if tag.end and stream.current.kind == TOKEN_EOF:
                raise _never_closed(opening.value, tag.end, opening) from err
            if expression is not None:
                end = expression.start_index + len(expression.value)
                err.token = Token(TOKEN_EOF, "", end, expression.source)
            else:
                err.token = opening
            raise

    tag.parse = parse_keeping_positions  # type: ignore[method-assign]
