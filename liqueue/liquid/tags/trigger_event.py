"""`{% trigger_event 'order.created', order_id: order.id %}`: publish an event.

The event is only recorded in the render's outbox; validation against
`app/lib/events/<type>.liquid` and fan-out to consumers happen when the
outbox is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag

from liqueue.errors import JobOptionError, Location, TemplateError
from liqueue.events.event import new_event, platform_field_error
from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import at, open_tag, tag_location
from liqueue.liquid.tags.stored_fields import EVENT_PAYLOAD, json_fields, warn_if_large

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from liquid import RenderContext
    from liquid.builtin.expressions import KeywordArgument
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token


class TriggerEventNode(Node):
    __slots__ = ("arguments",)

    def __init__(self, token: Token, arguments: Arguments) -> None:
        super().__init__(token)
        self.arguments = arguments

    def __str__(self) -> str:
        return "{% trigger_event %}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        state = state_of(context)
        type_expression = self.arguments.positional[0]
        event_type = type_expression.evaluate(context)
        if not isinstance(event_type, str) or not event_type.strip():
            raise TemplateError(
                f"trigger_event needs an event type, got {event_type!r}",
                at(context, type_expression.token),
            )
        payload, size, _ = json_fields(context, self._fields(context), EVENT_PAYLOAD)
        location = tag_location(context, self.token)
        # The stored origin is `path:line`; the column would only clutter it.
        event = new_event(
            event_type.strip(),
            payload,
            at=state.clock.now(),
            origin=Location(location.path, location.line),
            context=state.context,
        )
        state.outbox.events.append(event)
        warn_if_large(context, self.token, f"the payload of event {event.type} is", size)
        return 0

    def _fields(self, context: RenderContext) -> Iterator[KeywordArgument]:
        for arg in self.arguments.keywords:
            # Checked here too, not only by new_event, so the error points at the field.
            refused = platform_field_error(arg.name)
            if refused is not None:
                raise JobOptionError(refused, at(context, arg.token))
            yield arg

    def expressions(self) -> Iterable[Expression]:
        yield from self.arguments.positional
        yield from (arg.value for arg in self.arguments.keywords)


class TriggerEventTag(Tag):
    name = "trigger_event"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, tokens = open_tag(stream, self.name)
        arguments = parse_arguments(self.env, tokens)
        if len(arguments.positional) != 1:
            raise LiquidSyntaxError(
                "trigger_event takes the event type, then name: value fields", token=token
            )
        return TriggerEventNode(token, arguments)
