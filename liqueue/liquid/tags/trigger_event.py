"""`{% trigger_event 'order.created', order_id: order.id %}`: publish an event.

The event is only recorded in the render's outbox; validation against
`app/lib/events/<type>.liquid` and fan-out to consumers happen when the
outbox is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidSyntaxError
from liquid.tag import Tag

from liqueue.errors import JobOptionError, Location, TemplateError
from liqueue.events.event import new_event, platform_field_error
from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import at, open_tag, tag_location
from liqueue.liquid.values import to_json_value

if TYPE_CHECKING:
    from collections.abc import Iterable

    from liquid import RenderContext
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
        payload: dict[str, Any] = {}
        for arg in self.arguments.keywords:
            # Checked here too, not only by new_event, so the error points at the field.
            refused = platform_field_error(arg.name)
            if refused is not None:
                raise JobOptionError(refused, at(context, arg.token))
            try:
                payload[arg.name] = to_json_value(arg.value.evaluate(context))
            except ValueError as err:
                raise JobOptionError(
                    f"event field '{arg.name}' cannot be stored as JSON: {err}",
                    at(context, arg.token),
                ) from None
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
        return 0

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
