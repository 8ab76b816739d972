"""Arguments of platform tags: `value, name: value | filter: arg, other: value`.

Built on python-liquid's expression parsing (primitives, paths, filters).
One rule differs from python-liquid's filter arguments: in a tag's argument
list `, word:` after a filter starts the tag's next argument, unless that
filter declares a keyword parameter of that name (`default: x, allow_false: true`).
Without it `source_name: 'x' | append: y, delay: 5` would hand `delay` to `append`.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from liquid.builtin.expressions import (
    Filter,
    FilteredExpression,
    KeywordArgument,
    PositionalArgument,
    parse_primitive,
)
from liquid.exceptions import LiquidSyntaxError
from liquid.token import TOKEN_COLON, TOKEN_COMMA, TOKEN_EOF, TOKEN_PIPE, TOKEN_WORD, Token

if TYPE_CHECKING:
    from liquid import Environment, RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream


@dataclass(frozen=True)
class Arguments:
    positional: list[Expression]
    keywords: list[KeywordArgument]

    def evaluate_keywords(self, context: RenderContext) -> dict[str, object]:
        return {arg.name: arg.value.evaluate(context) for arg in self.keywords}

    def keyword(self, name: str) -> KeywordArgument | None:
        for arg in self.keywords:
            if arg.name == name:
                return arg
        return None


def parse_arguments(env: Environment, tokens: TokenStream) -> Arguments:
    """Parse a comma separated list of positional and keyword arguments to the end."""
    positional: list[Expression] = []
    keywords: list[KeywordArgument] = []
    seen: set[str] = set()
    if tokens.current.kind == TOKEN_COMMA:
        next(tokens)
    while tokens.current.kind != TOKEN_EOF:
        token = tokens.current
        if _is_name(token) and tokens.peek.kind == TOKEN_COLON:
            next(tokens)
            next(tokens)
            if token.value in seen:
                raise LiquidSyntaxError(f"argument '{token.value}' is given twice", token=token)
            seen.add(token.value)
            keywords.append(KeywordArgument(token, token.value, parse_value(env, tokens)))
        elif keywords:
            raise LiquidSyntaxError(
                "expected a keyword argument (name: value) after keyword arguments", token=token
            )
        else:
            positional.append(parse_value(env, tokens))
        if tokens.current.kind == TOKEN_EOF:
            break
        if tokens.current.kind != TOKEN_COMMA:
            raise LiquidSyntaxError(
                f"expected a comma between arguments, found {tokens.current.kind}",
                token=tokens.current,
            )
        next(tokens)
    return Arguments(positional, keywords)


def parse_keyword_arguments(env: Environment, tokens: TokenStream, refusal: str) -> Arguments:
    """Parse name: value arguments to the end; a positional one is a syntax
    error with the message `refusal`."""
    arguments = parse_arguments(env, tokens)
    if arguments.positional:
        raise LiquidSyntaxError(refusal, token=arguments.positional[0].token)
    return arguments


def parse_value(env: Environment, tokens: TokenStream) -> Expression:
    """A primitive followed by zero or more filters."""
    left = parse_primitive(env, tokens)
    filters: list[Filter] = []
    while tokens.current.kind == TOKEN_PIPE:
        next(tokens)
        name = tokens.eat(TOKEN_WORD)
        filters.append(Filter(name, name.value, _filter_arguments(env, tokens, name.value)))
    if not filters:
        return left
    return FilteredExpression(left.token, left, filters)


def _filter_arguments(
    env: Environment, tokens: TokenStream, filter_name: str
) -> list[KeywordArgument | PositionalArgument]:
    args: list[KeywordArgument | PositionalArgument] = []
    if tokens.current.kind != TOKEN_COLON:
        return args
    next(tokens)
    while True:
        token = tokens.current
        if _is_name(token) and tokens.peek.kind == TOKEN_COLON:
            next(tokens)
            next(tokens)
            args.append(KeywordArgument(token, token.value, parse_primitive(env, tokens)))
        else:
            args.append(PositionalArgument(parse_primitive(env, tokens)))
        if tokens.current.kind != TOKEN_COMMA:
            return args
        following = _lookahead(tokens, 1), _lookahead(tokens, 2)
        starts_tag_argument = (
            _is_name(following[0])
            and following[1].kind == TOKEN_COLON
            and not _accepts_keyword(env, filter_name, following[0].value)
        )
        if starts_tag_argument:
            return args
        next(tokens)


def _is_name(token: Token) -> bool:
    """A word, or a keyword used as a name (`limit: 2`, `offset: 0`): the
    tokenizer gives keywords a kind equal to their text."""
    return token.kind == TOKEN_WORD or (token.kind == token.value and token.value.isidentifier())


def _lookahead(tokens: TokenStream, distance: int) -> Token:
    index = tokens.pos + distance
    return tokens.tokens[index] if index < len(tokens.tokens) else tokens.eof


def _accepts_keyword(env: Environment, filter_name: str, keyword: str) -> bool:
    func = env.filters.get(filter_name)
    if func is None:
        return False
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    # The first parameter receives the filtered value, never an argument.
    names = list(parameters)[1:]
    if keyword in names:
        return parameters[keyword].kind in (
            inspect.Parameter.KEYWORD_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        )
    return False
