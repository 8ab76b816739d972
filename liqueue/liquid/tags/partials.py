"""The grammars of tags that name a partial, each parsed in one place.

- `result = 'path/to/partial', name: value` (`function`, and the partial
  form of `background`): `parse_partial_call`;
- what follows the partial name in `include` and `render`: an optional
  `with`/`for` binding (`as alias`), then name: value arguments:
  `parse_partial_tail`.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import TYPE_CHECKING

from liquid.builtin.expressions import (
    Identifier,
    Path,
    StringLiteral,
    parse_identifier,
    parse_primitive,
)
from liquid.exceptions import LiquidSyntaxError
from liquid.token import TOKEN_AS, TOKEN_ASSIGN, TOKEN_COMMA, TOKEN_EOF, TOKEN_WORD

from liqueue.liquid.arguments import Arguments, parse_keyword_arguments

if TYPE_CHECKING:
    from liquid import Environment
    from liquid.builtin.expressions import KeywordArgument
    from liquid.stream import TokenStream


@dataclass(frozen=True)
class PartialCall:
    """`target = partial, name: value ...`"""

    target: str
    partial: StringLiteral | Path
    arguments: Arguments


def parse_partial_call(env: Environment, tokens: TokenStream, tag: str) -> PartialCall:
    """Parse `target = partial, name: value ...` to the end of the tag's expression."""
    target = tokens.eat(TOKEN_WORD).value
    tokens.eat(TOKEN_ASSIGN)
    partial = parse_primitive(env, tokens)
    if not isinstance(partial, (StringLiteral, Path)):
        raise LiquidSyntaxError(
            f"{tag} expects a partial name (a string or a variable)", token=partial.token
        )
    if tokens.current.kind not in (TOKEN_COMMA, TOKEN_EOF):
        raise LiquidSyntaxError(
            f"expected a comma after the partial name, found {tokens.current.kind}",
            token=tokens.current,
        )
    arguments = parse_keyword_arguments(env, tokens, f"{tag} takes name: value arguments only")
    return PartialCall(target, partial, arguments)


def parse_partial_tail(
    env: Environment, tokens: TokenStream, tag: str, bind_kinds: Container[str]
) -> tuple[Path | None, Identifier | None, list[KeywordArgument]]:
    """What follows the partial name in `include` and `render`."""
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
    arguments = parse_keyword_arguments(env, tokens, f"{tag} takes name: value arguments")
    return var, alias, arguments.keywords
