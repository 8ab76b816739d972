"""`{% api_call response = 'payments/charge', data: payload %}`: send an API call.

The definition `app/api_calls/payments/charge.liquid` is rendered with
`data`, sent, and `response` gets `{status, body, headers, json}` (`json`
only when the body is JSON). Inside `{% liquid %}`: `api_call response =
'payments/charge', data: payload`.

A timeout, a connection error, a refused host or a status the definition
names as a failure (default 5xx and 429) fails the render: in a job, the
attempt, which is retried with backoff (later still if the response had
`Retry-After`). Other statuses are the template's to judge. In a job a call
may take `http.timeout` (30 s); in a page at most `http.page_timeout` (5 s).
"""

from __future__ import annotations

import contextlib
import json
from io import StringIO
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import Node
from liquid.builtin.expressions import Path, StringLiteral, parse_primitive
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag
from liquid.token import TOKEN_ASSIGN, TOKEN_COMMA, TOKEN_EOF, TOKEN_WORD

from liqueue.api_calls.definition import DefinitionError
from liqueue.api_calls.messages import ApiRequest
from liqueue.api_calls.sending import ApiCallError
from liqueue.errors import ExternalCallFailed, NotFound, TemplateError
from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.outside import outside_of
from liqueue.liquid.signals import ReturnSignal
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import at, open_tag, tag_location
from liqueue.liquid.values import to_json_value

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import BoundTemplate, RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token

    from liqueue.api_calls.definition import Definition
    from liqueue.liquid.api_call_definitions import LoadedDefinition

TAG_API_CALL = "api_call"
_BODY_SHOWN = 200


def render_part(context: RenderContext, template: BoundTemplate, variables: dict[str, Any]) -> str:
    """Render a piece of a definition in a scope holding only `variables` (and `context`)."""
    scope = context.copy(variables, carry_loop_iterations=True, template=template)
    buffer = StringIO()
    with contextlib.suppress(ReturnSignal):
        template.render_with_context(scope, buffer, partial=True, block_scope=True)
    return buffer.getvalue()


def render_headers(
    context: RenderContext, loaded: LoadedDefinition, variables: dict[str, Any]
) -> dict[str, str]:
    definition = loaded.definition
    if loaded.headers is None:
        return {}
    if isinstance(loaded.headers, dict):
        rendered = {
            k: render_part(context, t, variables).strip() for k, t in loaded.headers.items()
        }
        return {k: v for k, v in rendered.items() if v}
    return parse_headers(render_part(context, loaded.headers, variables), definition)


def parse_headers(text: str, definition: Definition) -> dict[str, str]:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError as err:
        raise DefinitionError(
            f"headers of api call '{definition.name}' must render a JSON object; "
            f"they rendered {text.strip()[:_BODY_SHOWN]!r} ({err})",
            definition.location("headers"),
        ) from None
    if not isinstance(value, dict):
        raise DefinitionError(
            f"headers of api call '{definition.name}' must render a JSON object, "
            f"not {type(value).__name__}",
            definition.location("headers"),
        )
    return {
        str(k): v if isinstance(v, str) else json.dumps(v)
        for k, v in value.items()
        if v is not None
    }


class ApiCallNode(Node):
    __slots__ = ("arguments", "definition", "target")

    def __init__(self, token: Token, target: str, definition: Expression, arguments: Arguments):
        super().__init__(token)
        self.target = target
        self.definition = definition
        self.arguments = arguments

    def __str__(self) -> str:
        return f"{{% api_call {self.target} = {self.definition} %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        name = self.definition.evaluate(context)
        if not isinstance(name, str) or not name.strip():
            raise TemplateError(
                f"api_call needs a definition name, got {name!r}",
                at(context, self.definition.token),
            )
        location = tag_location(context, self.token)
        outside = outside_of(context.env)
        try:
            loaded = outside.definitions.load(context.env, name)
        except NotFound as err:
            raise TemplateError(err.args[0], location) from None
        definition = loaded.definition
        data = self._data(context)
        variables = {"data": data}
        in_job = state_of(context).job is not None
        settings = outside.api.settings
        if in_job:
            timeout = definition.timeout or settings.job_timeout
        else:
            timeout = min(definition.timeout or settings.page_timeout, settings.page_timeout)
        request = ApiRequest(
            name=definition.name,
            method=definition.method,
            url=render_part(context, loaded.to, variables).strip(),
            headers=render_headers(context, loaded, variables),
            body=render_part(context, loaded.body, variables).strip(),
            timeout=timeout,
            data=data,
        )
        try:
            response = outside.api.send(request)
        except ApiCallError as err:
            raise ExternalCallFailed(err.message, location) from None
        value = response.to_liquid()
        if loaded.callback is not None:
            render_part(context, loaded.callback, {**variables, "response": value})
        if response.status in definition.failures:
            shown = response.body.strip()[:_BODY_SHOWN]
            raise ExternalCallFailed(
                f"{request.method} {request.url} answered {response.status}"
                + (f": {shown}" if shown else ""),
                location,
                not_before=response.retry_after(outside.clock.now()),
            )
        context.assign(self.target, value)
        return 0

    def _data(self, context: RenderContext) -> Any:
        argument = self.arguments.keyword("data")
        if argument is None:
            return {}
        try:
            return to_json_value(argument.value.evaluate(context))
        except ValueError as err:
            raise TemplateError(
                f"data of api_call cannot be sent as JSON: {err}", at(context, argument.token)
            ) from None

    def expressions(self) -> Iterable[Expression]:
        yield self.definition
        yield from (arg.value for arg in self.arguments.keywords)


class ApiCallTag(Tag):
    name = TAG_API_CALL
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, tokens = open_tag(stream, self.name)
        target = tokens.eat(TOKEN_WORD).value
        tokens.eat(TOKEN_ASSIGN)
        definition = parse_primitive(self.env, tokens)
        if not isinstance(definition, (StringLiteral, Path)):
            raise LiquidSyntaxError(
                "api_call expects a definition name (a string or a variable)",
                token=definition.token,
            )
        if tokens.current.kind not in (TOKEN_COMMA, TOKEN_EOF):
            raise LiquidSyntaxError(
                f"expected a comma after the definition name, found {tokens.current.kind}",
                token=tokens.current,
            )
        arguments = parse_arguments(self.env, tokens)
        if arguments.positional:
            raise LiquidSyntaxError(
                "api_call takes data: value only", token=arguments.positional[0].token
            )
        for argument in arguments.keywords:
            if argument.name != "data":
                raise LiquidSyntaxError(
                    f"api_call has no argument '{argument.name}' (only data)", token=argument.token
                )
        return ApiCallNode(token, target, definition, arguments)


__all__ = ["TAG_API_CALL", "ApiCallTag"]
