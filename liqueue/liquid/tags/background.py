"""`{% background %}`: queue a job, in block form or partial form.

    {% background max_attempts: 3, priority: 'high', delay: 1.5, source_name: 'x', a: b %}
      ...body, stored as its exact source text...
    {% endbackground %}

    {% background job_id = 'path/to/partial', delay: 0.1, arg: value %}
    {% liquid
      background _ = partial_name, arg: value
    %}

Exactly four keys are options: `delay` (minutes), `priority`, `max_attempts`
and `source_name`; nil or undefined means the option's default. Every other
key is a job argument, stored as JSON (over the platform's advised ~100 KB
the job is still queued, with a `warning` log entry). The body is not rendered at the page
and nothing it would print reaches the page. Without `source_name` a block's
jobs are named after the template and line (`pages/orders/create:12`) and a
partial's jobs after the partial.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import BlockNode, IllegalNode, Node
from liquid.builtin.expressions import Path, StringLiteral, parse_primitive
from liquid.builtin.expressions.primitive import (
    FalseLiteral,
    FloatLiteral,
    IntegerLiteral,
    TrueLiteral,
)
from liquid.exceptions import LiquidError, LiquidSyntaxError, TemplateNotFoundError
from liquid.parser import eat_block, get_parser
from liquid.tag import Tag
from liquid.token import (
    TOKEN_ASSIGN,
    TOKEN_COMMA,
    TOKEN_EOF,
    TOKEN_EXPRESSION,
    TOKEN_TAG,
    TOKEN_WORD,
)
from liquid.undefined import Undefined

from liqueue.errors import JobOptionError, Location, TemplateError
from liqueue.jobs import (
    JobSpec,
    validate_delay,
    validate_max_attempts,
    validate_priority,
    validate_source_name,
)
from liqueue.liquid.arguments import Arguments, parse_arguments
from liqueue.liquid.positions import in_liquid_tag, line_col, tag_start
from liqueue.liquid.state import state_of
from liqueue.liquid.tags.common import (
    at,
    readable_name,
    report_missing_partial,
    tag_location,
    template_path,
)
from liqueue.liquid.values import json_text

if TYPE_CHECKING:
    from liquid import RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token

TAG_BACKGROUND = "background"
TAG_ENDBACKGROUND = "endbackground"

VALIDATORS: dict[str, Callable[[object], object]] = {
    "delay": validate_delay,
    "priority": validate_priority,
    "max_attempts": validate_max_attempts,
    "source_name": validate_source_name,
}

# The platform's advice: job arguments under about 100 KB.
ARGUMENTS_WARNING_BYTES = 100_000

RESERVED_ARGUMENTS = {
    "job": "the job itself (id, attempt, max_attempts, source_name, priority)",
    "context": "the request context (constants, environment, location)",
}

_PARTIAL_FORM = re.compile(r"\s*[\w][\w-]*\s*=(?!=)")
_LIQUID_PREFIX = "{% liquid"
_SINGLE_WORD = re.compile(r"[A-Za-z]+")


class BackgroundNode(Node):
    __slots__ = ("arguments", "block", "body", "body_start", "partial", "target")

    def __init__(
        self,
        token: Token,
        arguments: Arguments,
        *,
        body: str | None = None,
        body_start: int = 0,
        block: BlockNode | None = None,
        target: str | None = None,
        partial: Expression | None = None,
    ) -> None:
        super().__init__(token)
        self.arguments = arguments
        self.body = body
        self.body_start = body_start
        self.block = block
        self.target = target
        self.partial = partial

    def __str__(self) -> str:
        return f"{{% background {self.target or ''} %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        state = state_of(context)
        path = template_path(context)
        options = {key: self._option(context, key) for key in VALIDATORS}
        arguments, size = self._job_arguments(context)
        spec_fields: dict[str, Any] = {
            "origin": self._origin(path),
            "arguments": arguments,
            "priority": options["priority"],
            "max_attempts": options["max_attempts"],
            "delay_minutes": options["delay"],
            "context": state.context,
        }
        if self.partial is not None:
            name = self._partial_name(context)
            spec = JobSpec(
                source_name=str(options["source_name"] or name), partial=name, **spec_fields
            )
            assert self.target is not None
            context.assign(self.target, spec.id)
        else:
            line, _ = line_col(self.token.source, self.token.start_index)
            default_name = f"{readable_name(path)}:{line}"
            spec = JobSpec(
                source_name=str(options["source_name"] or default_name),
                body=self.body,
                **spec_fields,
            )
        state.outbox.jobs.append(spec)
        self._warn_if_large(context, spec, size)
        return 0

    def _warn_if_large(self, context: RenderContext, spec: JobSpec, size: int) -> None:
        """The platform advises arguments under ~100 KB: the job is queued, with a warning."""
        if size <= ARGUMENTS_WARNING_BYTES:
            return
        state_of(context).log(
            "warning",
            f"the arguments of job {spec.source_name} are {size // 1000} KB as JSON; "
            f"keep them under {ARGUMENTS_WARNING_BYTES // 1000} KB: pass ids, not large objects",
            tag_location(context, self.token),
        )

    def _option(self, context: RenderContext, key: str) -> object:
        arg = self.arguments.keyword(key)
        raw = arg.value.evaluate(context) if arg else None
        if isinstance(raw, Undefined):
            raw = None
        try:
            return VALIDATORS[key](raw)
        except ValueError as err:
            assert arg is not None  # defaults always validate
            raise JobOptionError(str(err), at(context, arg.token)) from None

    def _job_arguments(self, context: RenderContext) -> tuple[dict[str, Any], int]:
        """The job's arguments as JSON data, and about how many bytes they take as JSON."""
        arguments: dict[str, Any] = {}
        size = 2  # {}
        for arg in self.arguments.keywords:
            if arg.name in VALIDATORS:
                continue
            value = arg.value.evaluate(context)
            try:
                text = json_text(value)
            except ValueError as err:
                raise JobOptionError(
                    f"job argument '{arg.name}' cannot be stored as JSON: {err}",
                    at(context, arg.token),
                ) from None
            arguments[arg.name] = json.loads(text)
            size += len(arg.name) + len(text.encode()) + 4  # "name": value,
        return arguments, size

    def _partial_name(self, context: RenderContext) -> str:
        assert self.partial is not None
        value = self.partial.evaluate(context)
        if not isinstance(value, str) or not value.strip():
            raise JobOptionError(
                f"background needs a partial name, got {value!r}", at(context, self.partial.token)
            )
        find = getattr(context.env.loader, "find_partial", None)
        if callable(find):
            try:
                find(value)
            except TemplateNotFoundError as err:
                raise TemplateError(str(err.message), at(context, self.partial.token)) from None
        return value

    def _origin(self, path: str) -> Location:
        if self.body is None:
            line, column = line_col(self.token.source, tag_start(self.token))
            return Location(path, line, column)
        line, column = line_col(self.token.source, self.body_start)
        return Location(path, line, column)

    def children(
        self, static_context: RenderContext, *, include_partials: bool = True
    ) -> Iterable[Node]:
        return [self.block] if self.block is not None else []

    def expressions(self) -> Iterable[Expression]:
        if self.partial is not None:
            yield self.partial
        yield from (arg.value for arg in self.arguments.keywords)


class BackgroundTag(Tag):
    name = TAG_BACKGROUND
    end = TAG_ENDBACKGROUND
    block = True

    @staticmethod
    def opens_block(expression: str | None) -> bool:
        return expression is None or not _PARTIAL_FORM.match(expression)

    def get_node(self, stream: TokenStream) -> Node:
        # Tag.get_node would skip to `endbackground` after any error, which
        # swallows the rest of the template when the failing tag is a partial form.
        following = stream.peek
        expression = following.value if following.kind == TOKEN_EXPRESSION else None
        try:
            return self.parse(stream)
        except LiquidError as err:
            token = stream.current
            if not err.token:
                err.token = token
            self.env.error(err)
            if self.opens_block(expression):
                eat_block(stream, (self.end,))
            return IllegalNode(token)

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        expression = stream.current if stream.current.kind == TOKEN_EXPRESSION else None
        if expression is not None and not self.opens_block(expression.value):
            return self._parse_partial_form(token, stream.into_inner(tag=token, eat=False))
        if expression is None:
            arguments = Arguments([], [])
            opening_end = token.start_index + len(token.value)
        else:
            arguments = self._options(stream.into_inner(tag=token, eat=True))
            opening_end = expression.start_index + len(expression.value)
        node = self._parse_block_form(token, arguments, opening_end, stream)
        _report_static_problems(self.env, node)
        return node

    def _options(self, tokens: TokenStream) -> Arguments:
        arguments = parse_arguments(self.env, tokens)
        if arguments.positional:
            raise LiquidSyntaxError(
                "background takes name: value arguments only", token=arguments.positional[0].token
            )
        for arg in arguments.keywords:
            if arg.name in RESERVED_ARGUMENTS:
                # The body would see the argument, not the variable every job
                # relies on (job.attempt, context.constants): refuse it here.
                raise LiquidSyntaxError(
                    f"'{arg.name}' cannot be a job argument: inside the job it is "
                    f"{RESERVED_ARGUMENTS[arg.name]}; pass the value under another name",
                    token=arg.token,
                )
        return arguments

    def _parse_partial_form(self, token: Token, tokens: TokenStream) -> Node:
        target = tokens.eat(TOKEN_WORD).value
        tokens.eat(TOKEN_ASSIGN)
        partial = parse_primitive(self.env, tokens)
        if not isinstance(partial, (StringLiteral, Path)):
            raise LiquidSyntaxError(
                "background expects a partial name (a string or a variable)", token=partial.token
            )
        if tokens.current.kind not in (TOKEN_COMMA, TOKEN_EOF):
            raise LiquidSyntaxError(
                f"expected a comma after the partial name, found {tokens.current.kind}",
                token=tokens.current,
            )
        node = BackgroundNode(token, self._options(tokens), target=target, partial=partial)
        report_missing_partial(self.env, partial)
        _report_static_problems(self.env, node)
        return node

    def _parse_block_form(
        self, token: Token, arguments: Arguments, opening_end: int, stream: TokenStream
    ) -> BackgroundNode:
        source = token.source
        liquid_tag = in_liquid_tag(token)
        # Outside `{% liquid %}` the body starts after this tag's `%}`.
        body_start = opening_end if liquid_tag else source.index("%}", opening_end) + 2
        block = get_parser(self.env).parse_block(stream, (TAG_ENDBACKGROUND,))
        end = stream.expect(TOKEN_TAG, value=TAG_ENDBACKGROUND)
        if liquid_tag:
            # Lines of a `{% liquid %}` tag are not template text on their own:
            # the stored body wraps them, starting where the prefix fits on the
            # opening line so positions stay those of the file.
            body = _LIQUID_PREFIX + source[body_start : end.start_index] + "%}"
            body_start -= len(_LIQUID_PREFIX)
        else:
            body_end = source.rindex("{%", 0, end.start_index)
            body = source[body_start:body_end]
        return BackgroundNode(token, arguments, body=body, body_start=body_start, block=block)


_LITERALS = (StringLiteral, IntegerLiteral, FloatLiteral, TrueLiteral, FalseLiteral)

GENERIC_SOURCE_NAMES = frozenset(
    {
        "job", "jobs", "task", "tasks", "work", "worker", "test", "tests", "background",
        "default", "queue", "run", "process", "async", "todo", "temp", "tmp", "foo", "bar",
        "misc", "main", "handler", "action", "thing", "stuff", "x",
    }
)  # fmt: skip


def _report_static_problems(env: object, node: BackgroundNode) -> None:
    """For `liqueue check`: options that are wrong whatever the data."""
    checker = getattr(env, "checker", None)
    if checker is None:
        return
    for arg in node.arguments.keywords:
        if arg.name in VALIDATORS and isinstance(arg.value, _LITERALS):
            try:
                VALIDATORS[arg.name](arg.value.value)
            except ValueError as err:
                checker.report(arg.token, str(err), "error")
    source_name = node.arguments.keyword("source_name")
    if source_name is None:
        named_after = "this file and line" if node.partial is None else "the partial"
        checker.report(
            node.token,
            f"background has no source_name: its jobs will be named after {named_after}; "
            "give a descriptive name such as 'email_send_welcome'",
            "warning",
            at_tag=True,
        )
    elif isinstance(source_name.value, StringLiteral):
        name = source_name.value.value.strip()
        if name.lower() in GENERIC_SOURCE_NAMES:
            checker.report(
                source_name.token,
                f"source_name '{name}' is a generic word: use a name that says what the job "
                "does, such as 'email_send_welcome'",
                "warning",
            )
        elif name and _SINGLE_WORD.fullmatch(name):
            checker.report(
                source_name.token,
                f"source_name '{name}' is a single word: prefer descriptive, hierarchical "
                "names such as 'email_send_welcome'",
                "warning",
            )
