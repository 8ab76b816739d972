"""`{% function result = 'py:orders.mark_paid', order_id: 5 %}`: call a host function.

The `function` tag hands names starting with `py:` here. Arguments go in as
JSON, the value comes back as JSON; a Python exception fails the render (in
a job, the attempt) with its message at the tag's `path:line`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liqueue.errors import ConfigError, ExternalCallFailed
from liqueue.functions import PREFIX, HostFunctionError
from liqueue.liquid.outside import outside_of

if TYPE_CHECKING:
    from liquid import RenderContext

    from liqueue.errors import Location


def is_host_function(name: object) -> bool:
    return isinstance(name, str) and name.startswith(PREFIX)


def call_host_function(
    context: RenderContext, name: str, arguments: dict[str, object], location: Location
) -> Any:
    from liqueue.liquid.values import to_json_value

    try:
        given = {key: to_json_value(value) for key, value in arguments.items()}
    except ValueError as err:
        raise ExternalCallFailed(
            f"arguments of '{name}' are not JSON-able: {err}", location
        ) from None
    try:
        return outside_of(context.env).functions.call(name.removeprefix(PREFIX), given)
    except (HostFunctionError, ConfigError) as err:
        raise ExternalCallFailed(str(err), location) from None
