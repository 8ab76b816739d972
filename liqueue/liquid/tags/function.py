"""`{% function result = 'path/to/partial', arg: value %}`: call a partial for its value.

As on platformOS: the partial renders in an isolated scope holding only the
arguments (plus `context`), its output is discarded, and the variable gets
the value of its `{% return %}` (nil without one). Also usable inside
`{% liquid %}` as `function result = 'path', arg: value`.

Jobs, events and logs the partial creates are kept, in the caller's outbox:
platformOS runs functions for their side effects too (its commands are
functions), so they are queued if and only if the calling render succeeds
(and dropped with a failed `{% try %}` block around the call).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from liquid.ast import Node
from liquid.exceptions import TemplateNotFoundError
from liquid.output import NullIO
from liquid.tag import Tag

from liqueue.errors import TemplateError
from liqueue.liquid.signals import ReturnSignal
from liqueue.liquid.tags.common import at, open_tag, tag_location
from liqueue.liquid.tags.host_function import call_host_function, is_host_function
from liqueue.liquid.tags.partials import parse_partial_call

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import BoundTemplate, RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token

    from liqueue.liquid.arguments import Arguments

TAG_FUNCTION = "function"


def call_partial(
    context: RenderContext, template: BoundTemplate, arguments: dict[str, object]
) -> object:
    """Render `template` function-style in a scope derived from `context`."""
    scope = context.copy(arguments, carry_loop_iterations=True, template=template)
    try:
        template.render_with_context(scope, NullIO(), partial=True, block_scope=True)
    except ReturnSignal as returned:
        return returned.value
    return None


class FunctionNode(Node):
    __slots__ = ("arguments", "partial", "target")

    def __init__(self, token: Token, target: str, partial: Expression, arguments: Arguments):
        super().__init__(token)
        self.target = target
        self.partial = partial
        self.arguments = arguments

    def __str__(self) -> str:
        return f"{{% function {self.target} = {self.partial} %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        name = self.partial.evaluate(context)
        if not isinstance(name, str) or not name.strip():
            raise TemplateError(
                f"function needs a partial name, got {name!r}", at(context, self.partial.token)
            )
        if is_host_function(name):
            arguments = self.arguments.evaluate_keywords(context)
            location = tag_location(context, self.token)
            context.assign(self.target, call_host_function(context, name, arguments, location))
            return 0
        try:
            template = context.env.get_template(name, context=context, tag=TAG_FUNCTION)
        except TemplateNotFoundError as err:
            err.token = self.partial.token
            raise
        arguments = self.arguments.evaluate_keywords(context)
        context.assign(self.target, call_partial(context, template, arguments))
        return 0

    def expressions(self) -> Iterable[Expression]:
        yield self.partial
        yield from (arg.value for arg in self.arguments.keywords)


class FunctionTag(Tag):
    name = TAG_FUNCTION
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, tokens = open_tag(stream, self.name)
        call = parse_partial_call(self.env, tokens, self.name)
        return FunctionNode(token, call.target, call.partial, call.arguments)
