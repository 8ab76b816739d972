"""Keep secrets inside the render that read them.

After a render, log entries have secret values masked, and a job or event
that would store a secret (as an argument, in its payload or context) fails
the render: secrets are read at run time from `context.secrets`, never stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liqueue.errors import Location, TemplateError
from liqueue.liquid.values import json_text

if TYPE_CHECKING:
    from liqueue.outbox import Outbox
    from liqueue.secrets import Secrets


def guard_outbox(outbox: Outbox, secrets: Secrets, path: str) -> None:
    if not secrets.values:
        return
    mask_logs(outbox, secrets)
    contexts: dict[int, str] = {}  # the jobs of one render share one context
    for spec in outbox.jobs:
        context = contexts.get(id(spec.context))
        if context is None:
            context = contexts[id(spec.context)] = json_text(spec.context)
        # Exactly json_text([arguments, context, source_name]), the context encoded once.
        text = f"[{json_text(spec.arguments)}, {context}, {json_text(spec.source_name)}]"
        name = secrets.found_in(text)
        if name is not None:
            raise TemplateError(
                f"a background job would store the secret {name} in its arguments; "
                f"read context.secrets.{name} inside the job instead",
                spec.origin,
            )
    for event in outbox.events:
        name = secrets.found_in(json_text(event.payload))
        if name is not None:
            raise TemplateError(
                f"event {event.type!r} would store the secret {name} in its payload",
                event.origin or Location(path),
            )


def mask_logs(outbox: Outbox, secrets: Secrets) -> None:
    for entry in outbox.logs:
        entry.message = secrets.mask(entry.message)


def mask_error(err: BaseException, secrets: Secrets) -> None:
    """Mask secret values in an error's message, in place (the runner stores it)."""
    if not secrets.values:
        return
    if isinstance(err, TemplateError):
        err.message = secrets.mask(err.message)
    err.args = tuple(secrets.mask(a) if isinstance(a, str) else a for a in err.args)
