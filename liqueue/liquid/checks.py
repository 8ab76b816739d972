"""The rules `liqueue check` applies beyond syntax, in one place.

Tags only parse and render. While checking, the environment hands each node a
platform tag has parsed to `TemplateChecker.node_parsed` straight away, not
after the whole template: a tag inside a block that fails to parse (and is
dropped from the tree) is still checked. The rules:

- `background`: a literal option no data can make valid (error); a missing,
  generic or one-word `source_name` (warning);
- `include`, `render`, `function` and the partial form of `background`: a
  partial named by a literal that no file provides (error).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

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
from liqueue.jobs import JOB_OPTION_NAMES, JobOptionInvalid, validate_job_options
from liqueue.liquid.tags.api_call import ApiCallNode
from liqueue.liquid.tags.background import BackgroundNode
from liqueue.liquid.tags.function import FunctionNode
from liqueue.liquid.tags.host_function import is_host_function

if TYPE_CHECKING:
    from pathlib import Path

    from liquid.ast import Node
    from liquid.exceptions import LiquidError

    from liqueue.liquid.problems import ProblemCollector

_LITERALS = (StringLiteral, IntegerLiteral, FloatLiteral, TrueLiteral, FalseLiteral)

GENERIC_SOURCE_NAMES = frozenset(
    {
        "job", "jobs", "task", "tasks", "work", "worker", "test", "tests", "background",
        "default", "queue", "run", "process", "async", "todo", "temp", "tmp", "foo", "bar",
        "misc", "main", "handler", "action", "thing", "stuff", "x",
    }
)  # fmt: skip

_SINGLE_WORD = re.compile(r"[A-Za-z]+")


class TemplateChecker:
    """Collects into `problems` what the rules find, and the syntax errors the
    environment would otherwise raise. `find_partial` raises
    TemplateNotFoundError for a partial name no file provides."""

    def __init__(
        self, problems: ProblemCollector, find_partial: Callable[[str], object], root: Path
    ) -> None:
        self.problems = problems
        self.find_partial = find_partial
        self.root = root

    def syntax_error(self, err: LiquidError) -> None:
        self.problems.syntax_error(err)

    def node_parsed(self, node: Node) -> None:
        if isinstance(node, BackgroundNode):
            self._background_options(node)
            self._background_source_name(node)
            self._partial_exists(node.partial)
        elif isinstance(node, FunctionNode):
            if not (
                isinstance(node.partial, StringLiteral) and is_host_function(node.partial.value)
            ):
                self._partial_exists(node.partial)
        elif isinstance(node, (IncludeNode, RenderNode)):
            self._partial_exists(node.name)
        elif isinstance(node, ApiCallNode):
            self._api_call_exists(node.definition)

    def _api_call_exists(self, name: object) -> None:
        if not isinstance(name, StringLiteral):
            return
        path = definition_path(name.value)
        if path is None or not (self.root / path).is_file():
            looked = path or "a valid name"
            message = f"api call '{name.value}' not found (looked for {looked})"
            self.problems.report(name.token, message, "error")

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
