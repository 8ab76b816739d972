"""The rules `liqueue check` applies beyond syntax, in one place.

Tags only parse and render. While checking, the environment hands each node a
platform tag has parsed to `TemplateChecker.node_parsed` straight away, not
after the whole template: a tag inside a block that fails to parse (and is
dropped from the tree) is still checked. The rules:

- `background`: a literal option no data can make valid (error); a missing,
  generic or one-word `source_name` (warning);
- `include`, `render`, `function` and the partial form of `background`: a
  partial named by a literal that no file provides (error);
- `trigger_event` of a literal type no consumer or schema takes (error);
- `function` of a literal `py:` name no host function has, or whose
  `functions:` entry point cannot be loaded (error). The entry points are
  imported only when a template names a host function, as a call would.

Once a template has parsed, `template_parsed` runs python-liquid's static
analysis over it (background bodies included):

- a filter the environment does not have (error);
- a number python-liquid reads as a variable, such as `1e3` (error);
- a background body or consumer that reads a variable its job will not have:
  only the tag's arguments, `context` and `job` (a consumer: `event`) exist
  there (warning), and `job` inside a body inside `{% for job in ... %}` is the
  running job, not the loop's (warning).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING

from liquid import BoundTemplate, RenderContext
from liquid.builtin.expressions import StringLiteral
from liquid.builtin.expressions.primitive import (
    FalseLiteral,
    FloatLiteral,
    IntegerLiteral,
    TrueLiteral,
)
from liquid.builtin.tags.include_tag import IncludeNode
from liquid.builtin.tags.render_tag import RenderNode
from liquid.exceptions import TemplateNotFoundError

from liqueue.api_calls.definition import definition_path
from liqueue.errors import ConfigError, Location
from liqueue.functions import PREFIX, HostFunctions
from liqueue.jobs import JOB_OPTION_NAMES, JobOptionInvalid, validate_job_options
from liqueue.liquid.positions import line_col
from liqueue.liquid.problems import Problem
from liqueue.liquid.tags.api_call import ApiCallNode
from liqueue.liquid.tags.background import BackgroundNode
from liqueue.liquid.tags.function import FunctionNode
from liqueue.liquid.tags.host_function import is_host_function
from liqueue.liquid.tags.trigger_event import TriggerEventNode

if TYPE_CHECKING:
    from pathlib import Path

    from liquid import Environment
    from liquid.ast import Node
    from liquid.exceptions import LiquidError
    from liquid.static_analysis import Variable

    from liqueue.liquid.problems import ProblemCollector, Severity

_LITERALS = (StringLiteral, IntegerLiteral, FloatLiteral, TrueLiteral, FalseLiteral)

GENERIC_SOURCE_NAMES = frozenset(
    {
        "job", "jobs", "task", "tasks", "work", "worker", "test", "tests", "background",
        "default", "queue", "run", "process", "async", "todo", "temp", "tmp", "foo", "bar",
        "misc", "main", "handler", "action", "thing", "stuff", "x",
    }
)  # fmt: skip

_SINGLE_WORD = re.compile(r"[A-Za-z]+")

# What a job's body has besides its arguments, and a consumer besides nothing.
JOB_VARIABLES = frozenset({"context", "job"})
CONSUMER_VARIABLES = JOB_VARIABLES | {"event"}
CONSUMERS_PREFIX = "app/lib/consumers/"


class TemplateChecker:
    """Collects into `problems` what the rules find, and the syntax errors the
    environment would otherwise raise. `find_partial` raises
    TemplateNotFoundError for a partial name no file provides."""

    def __init__(
        self,
        problems: ProblemCollector,
        find_partial: Callable[[str], object],
        root: Path,
        event_types: Collection[str] | None = None,
        host_functions: HostFunctions | None = None,
    ) -> None:
        """`event_types`: the types a render may publish; None judges none.
        `host_functions`: what `py:` names reach; None judges none."""
        self.problems = problems
        self.find_partial = find_partial
        self.root = root
        self.event_types = event_types
        self.host_functions = host_functions
        # Why entry points could not be loaded: found once, so a failing import
        # (and whatever it does) is not repeated for every tag naming a function.
        self._unloadable: str | None = None

    def syntax_error(self, err: LiquidError) -> None:
        self.problems.syntax_error(err)

    def node_parsed(self, node: Node) -> None:
        if isinstance(node, BackgroundNode):
            self._background_options(node)
            self._background_source_name(node)
            self._partial_exists(node.partial)
        elif isinstance(node, FunctionNode):
            if isinstance(node.partial, StringLiteral) and is_host_function(node.partial.value):
                self._host_function_exists(node.partial)
            else:
                self._partial_exists(node.partial)
        elif isinstance(node, (IncludeNode, RenderNode)):
            self._partial_exists(node.name)
        elif isinstance(node, ApiCallNode):
            self._api_call_exists(node.definition)
        elif isinstance(node, TriggerEventNode):
            self._event_type_known(node)

    def _api_call_exists(self, name: object) -> None:
        if not isinstance(name, StringLiteral):
            return
        path = definition_path(name.value)
        if path is None or not (self.root / path).is_file():
            looked = path or "a valid name"
            message = f"api call '{name.value}' not found (looked for {looked})"
            self.problems.report(name.token, message, "error")

    def _host_function_exists(self, name: StringLiteral) -> None:
        if self.host_functions is None:
            return
        problem = None
        if self._unloadable is None:
            try:
                problem = self.host_functions.unknown(name.value.removeprefix(PREFIX))
            except ConfigError as err:
                self._unloadable = str(err)
        if self._unloadable is not None:
            problem = f"host function '{name.value}' cannot be looked up: {self._unloadable}"
        if problem is not None:
            self.problems.report(name.token, problem, "error")

    def template_parsed(self, template: BoundTemplate, path: str) -> None:
        """Rules that need the whole template: filters, numbers, job variables."""
        analysis = template.analyze(include_partials=False)
        source = template.nodes[0].token.source if template.nodes else ""
        for name, spans in analysis.filters.items():
            if name not in template.env.filters:
                for span in spans:
                    self._report_at(source, span.index, f"unknown filter '{name}'", "error")
        for variables in analysis.globals.values():
            for variable in variables:
                root = str(variable.segments[0]) if variable.segments else ""
                if root[:1].isdigit():
                    self._report_at(
                        source,
                        variable.span.index,
                        f"`{root}` is not a number in Liquid: it is read as a variable and is "
                        "nil here; write the number out (e.g. 1000 for 1e3)",
                        "error",
                    )
        context = RenderContext(template)
        for node, loop_names in _walk(template.nodes, context, frozenset()):
            if isinstance(node, BackgroundNode) and node.block is not None:
                self._body_variables(node, context.env, loop_names)
        if path.startswith(CONSUMERS_PREFIX):
            self._unavailable(
                source, analysis.globals, CONSUMER_VARIABLES, "this consumer", loop_names=()
            )

    def _partial_exists(self, name: object) -> None:
        if not isinstance(name, StringLiteral):
            return
        try:
            self.find_partial(name.value)
        except TemplateNotFoundError as err:
            self.problems.report(name.token, str(err.message), "error")

    def _background_options(self, node: BackgroundNode) -> None:
        """Options wrong whatever the data: each literal one on its own."""
        for arg in node.arguments.keywords:
            if arg.name in JOB_OPTION_NAMES and isinstance(arg.value, _LITERALS):
                try:
                    validate_job_options([(arg.name, arg.value.value)])
                except JobOptionInvalid as err:
                    self.problems.report(arg.token, str(err), "error")

    def _background_source_name(self, node: BackgroundNode) -> None:
        source_name = node.arguments.keyword("source_name")
        if source_name is None:
            named_after = "this file and line" if node.partial is None else "the partial"
            self.problems.report(
                node.token,
                f"background has no source_name: its jobs will be named after {named_after}; "
                "give a descriptive name such as 'email_send_welcome'",
                "warning",
                at_tag=True,
            )
        elif isinstance(source_name.value, StringLiteral):
            name = source_name.value.value.strip()
            if name.lower() in GENERIC_SOURCE_NAMES:
                self.problems.report(
                    source_name.token,
                    f"source_name '{name}' is a generic word: use a name that says what the "
                    "job does, such as 'email_send_welcome'",
                    "warning",
                )
            elif name and _SINGLE_WORD.fullmatch(name):
                self.problems.report(
                    source_name.token,
                    f"source_name '{name}' is a single word: prefer descriptive, hierarchical "
                    "names such as 'email_send_welcome'",
                    "warning",
                )

    def _event_type_known(self, node: TriggerEventNode) -> None:
        if self.event_types is None:
            return
        type_expression = node.arguments.positional[0]
        if not isinstance(type_expression, StringLiteral):
            return
        name = type_expression.value.strip()
        if name and name not in self.event_types:
            self.problems.report(
                type_expression.token,
                f"unknown event type {name!r}: no consumers in app/lib/consumers/{name}/ and "
                f"no schema at app/lib/events/{name}.liquid",
                "error",
            )

    def _body_variables(
        self, node: BackgroundNode, env: Environment, loop_names: frozenset[str]
    ) -> None:
        assert node.block is not None
        analysis = BoundTemplate(env, node.block.nodes).analyze(include_partials=False)
        passed = {arg.name for arg in node.arguments.keywords}
        self._unavailable(
            node.token.source,
            analysis.globals,
            JOB_VARIABLES | passed,
            "this job",
            loop_names=[name for name in loop_names if name in JOB_VARIABLES - passed],
        )

    def _unavailable(
        self,
        source: str,
        globals_: dict[str, list[Variable]],
        available: Collection[str],
        where: str,
        *,
        loop_names: Collection[str],
    ) -> None:
        for name, variables in globals_.items():
            if name[:1].isdigit():
                continue  # reported as a number
            first = variables[0]
            if name in loop_names and any(len(v.segments) > 1 for v in variables):
                read = next(v for v in variables if len(v.segments) > 1)
                self._report_at(
                    source,
                    read.span.index,
                    f"`{name}` inside this body is the running job, not the loop variable "
                    f"`{name}` of the page (pass `{name}_{read.segments[1]}: {read}` to the "
                    f"background tag and read `{name}_{read.segments[1]}` in the body)",
                    "warning",
                )
            elif name not in available:
                advice = (
                    f"{name}_{first.segments[1]}: {first}"
                    if len(first.segments) > 1 and isinstance(first.segments[1], str)
                    else f"{name}: {name}"
                )
                self._report_at(
                    source,
                    first.span.index,
                    f"`{name}` is not passed to {where}: it will be nil here (pass `{advice}`)",
                    "warning",
                )

    def _report_at(self, source: str, index: int, message: str, severity: Severity) -> None:
        line, column = line_col(source, index)
        self.problems.add(Problem(Location(self.problems.path, line, column), message, severity))


def _walk(
    nodes: list[Node], context: RenderContext, loop_names: frozenset[str]
) -> Iterator[tuple[Node, frozenset[str]]]:
    """Every node (unwrapped), with the block-scope names (loop variables) around it."""
    for wrapped in nodes:
        node = getattr(wrapped, "inner", wrapped)
        yield node, loop_names
        inner = loop_names | {str(name) for name in node.block_scope()}
        yield from _walk(list(node.children(context, include_partials=False)), context, inner)
