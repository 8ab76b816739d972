"""What `liqueue check` says about `app/api_calls/`: each definition's front matter,
the Liquid of its parts, and whether its headers render a JSON object.

Secrets named in liqueue.yml but unset in this environment are warnings.
(`api_call` tags naming a definition that does not exist are reported by the
tag itself while `check` parses the templates.)
"""

from __future__ import annotations

from io import StringIO
from typing import TYPE_CHECKING

from liquid.exceptions import LiquidError

from liqueue.api_calls.definition import DEFINITIONS_DIR, EXTENSION
from liqueue.config import CONFIG_FILE
from liqueue.errors import Location, TemplateError
from liqueue.liquid.output import AppContext
from liqueue.liquid.positions import to_template_error
from liqueue.liquid.problems import Problem
from liqueue.liquid.state import RenderState
from liqueue.liquid.tags.api_call import parse_headers

if TYPE_CHECKING:
    from liqueue.liquid.api_call_definitions import LoadedDefinition
    from liqueue.liquid.runtime import Runtime


def check_api_calls(runtime: Runtime) -> list[Problem]:
    problems = [
        Problem(
            Location(CONFIG_FILE),
            f"secret {name}: ${variable} is not set here, so context.secrets.{name} is empty",
            "warning",
        )
        for name, variable in runtime.secrets.missing.items()
    ]
    base = runtime.root / DEFINITIONS_DIR
    if not base.is_dir():
        return problems
    for file in sorted(base.rglob(f"*{EXTENSION}")):
        relative = file.relative_to(runtime.root).as_posix()
        name = relative.removeprefix(DEFINITIONS_DIR + "/").removesuffix(EXTENSION)
        try:
            loaded = runtime.outside.definitions.load(runtime.env, name)
            _render_headers(runtime, loaded)
        except TemplateError as err:
            problems.append(Problem(err.location or Location(relative), err.message, "error"))
        except LiquidError as err:
            converted = to_template_error(err, relative)
            problems.append(
                Problem(converted.location or Location(relative), converted.message, "error")
            )
    return problems


def _render_headers(runtime: Runtime, loaded: LoadedDefinition) -> None:
    """Render the headers with empty data: text that is not JSON then is never JSON."""
    template = loaded.headers
    if template is None or isinstance(template, dict):
        return
    context_variable = {
        "constants": dict(runtime.config.constants),
        "environment": runtime.config.environment,
        "location": {"path": None, "template": loaded.definition.path},
        "secrets": {name: "secret" for name in runtime.config.secrets},
    }
    state = RenderState(runtime.clock, context=context_variable)
    globals_ = template.make_globals({"context": context_variable, "data": {}})
    context = template.context_class(template, globals=globals_)
    assert isinstance(context, AppContext)
    context.liqueue_state = state
    buffer = StringIO()
    try:
        template.render_with_context(context, buffer)
    except (LiquidError, TemplateError):
        raise
    except Exception as err:
        raise TemplateError(
            f"headers cannot be rendered: {err}", loaded.definition.location("headers")
        ) from None
    parse_headers(buffer.getvalue(), loaded.definition)
