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

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from liquid.ast import BlockNode, IllegalNode, Node
from liquid.builtin.expressions import Literal, Nil, StringLiteral
from liquid.builtin.expressions.primitive import (
    FalseLiteral,
    FloatLiteral,
    IntegerLiteral,
    TrueLiteral,
)
from liquid.exceptions import LiquidError, LiquidSyntaxError, TemplateNotFoundError
from liquid.parser import eat_block, get_parser
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG
from liquid.undefined import Undefined

from liqueue.errors import JobOptionError, Location, TemplateError
from liqueue.jobs import (
    JOB_OPTION_NAMES,
    JobOptionInvalid,
    JobOptions,
    JobSpec,
    validate_job_options,
)
from liqueue.liquid.arguments import Arguments, parse_keyword_arguments
from liqueue.liquid.loader import AppLoader
from liqueue.liquid.outside import outside_of
from liqueue.liquid.positions import in_liquid_tag, line_col, tag_start
from liqueue.liquid.state import RenderState, state_of
from liqueue.liquid.tags.common import at, readable_name, tag_location, template_path
from liqueue.liquid.tags.partials import parse_partial_call
from liqueue.liquid.tags.stored_fields import JOB_ARGUMENTS, json_fields, warn_if_large
from liqueue.policies import duplicate_entry

if TYPE_CHECKING:
    from liquid import RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token

TAG_BACKGROUND = "background"
TAG_ENDBACKGROUND = "endbackground"

RESERVED_ARGUMENTS = {
    "job": "the job itself (id, attempt, max_attempts, source_name, priority)",
    "context": "the request context (constants, environment, location)",
}

_PARTIAL_FORM = re.compile(r"\s*[\w][\w-]*\s*=(?!=)")
_LIQUID_PREFIX = "{% liquid"


class BackgroundNode(Node):
    __slots__ = (
        "arguments",
        "block",
        "body",
        "body_start",
        "constant_options",
        "job_arguments",
        "partial",
        "placed",
        "target",
    )

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
        self.job_arguments = [a for a in arguments.keywords if a.name not in JOB_OPTION_NAMES]
        # Options written as literals are the same at every render: validated
        # once here. None when any is not a literal or is invalid, so that the
        # render evaluates them and reports the error where it always did.
        self.constant_options = _literal_options(arguments)
        self.placed: _Placement | None = None

    def __str__(self) -> str:
        return f"{{% background {self.target or ''} %}}"

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        if context.disabled_tags:  # Node.render's check: `render` is this method
            self.raise_for_disabled(context.disabled_tags)
        state = state_of(context)
        if len(state.outbox.jobs) >= state.limits.jobs_per_render:
            raise self._past_job_limit(context, state)
        options = self.constant_options
        if options is None or context.autoescape:  # autoescape makes literals Markup
            options = self._options(context)
        arguments, size, arguments_json = json_fields(context, self.job_arguments, JOB_ARGUMENTS)
        placement = self.placed
        if placement is None or placement.template is not context.template:
            placement = self._placement(context)
        if self.partial is None:
            partial = None
            default_name = placement.default_name
        else:
            partial = default_name = self._partial_name(context)
        spec = JobSpec.from_options(
            options,
            default_name=default_name,
            origin=placement.origin,
            body=self.body,
            partial=partial,
            arguments=arguments,
            context=state.context,
            arguments_json=arguments_json,
        )
        admission = outside_of(context.env).admission
        spec, holder = admission.admit(spec, state.outbox.jobs, state.clock.now())
        if holder is not None:  # a unique source's equal job is queued: hand its id back
            location = str(tag_location(context, self.token))
            state.outbox.logs.append(duplicate_entry(spec, holder, state.clock.now(), location))
            if self.target is not None:
                context.assign(self.target, holder)
            return 0
        if self.target is not None:
            context.assign(self.target, spec.id)
        state.outbox.jobs.append(spec)
        warn_if_large(context, self.token, f"the arguments of job {spec.source_name} are", size)
        return 0

    # One call to python-liquid's Node.render less for each job: a 1,000-job
    # page renders this node a thousand times.
    render = render_to_output

    def _placement(self, context: RenderContext) -> _Placement:
        # One node renders in one template (a loop renders it many times), so
        # its name and origin are worked out once per template, not once per job.
        path = template_path(context)
        line, _ = line_col(self.token.source, self.token.start_index)
        placed = self.placed = _Placement(
            context.template, path, f"{readable_name(path)}:{line}", self._origin(path)
        )
        return placed

    def _past_job_limit(self, context: RenderContext, state: RenderState) -> JobOptionError:
        limit = state.limits.jobs_per_render
        return JobOptionError(
            f"this render already queued {limit:,} jobs, the most one render may "
            "(limits.jobs_per_render): queue one job that processes a batch",
            tag_location(context, self.token),
        )

    def _options(self, context: RenderContext) -> JobOptions:
        try:
            return validate_job_options(self._option_values(context))
        except JobOptionInvalid as err:
            arg = self.arguments.keyword(err.key)
            assert arg is not None  # defaults always validate
            raise JobOptionError(str(err), at(context, arg.token)) from None

    def _option_values(self, context: RenderContext) -> Iterator[tuple[str, object]]:
        """The options given, each evaluated once the ones before it have passed."""
        for key in JOB_OPTION_NAMES:
            arg = self.arguments.keyword(key)
            if arg is not None:
                raw = arg.value.evaluate(context)
                yield key, None if isinstance(raw, Undefined) else raw

    def _partial_name(self, context: RenderContext) -> str:
        assert self.partial is not None
        value = self.partial.evaluate(context)
        if not isinstance(value, str) or not value.strip():
            raise JobOptionError(
                f"background needs a partial name, got {value!r}", at(context, self.partial.token)
            )
        if isinstance(context.env.loader, AppLoader):
            try:
                context.env.loader.find_partial(value)
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


@dataclass(frozen=True)
class _Placement:
    template: object  # the template the node rendered in
    path: str  # its path
    default_name: str  # a block's source name when the tag names none
    origin: Location  # where the job's body (or the partial form's tag) starts


_LITERALS = (StringLiteral, IntegerLiteral, FloatLiteral, TrueLiteral, FalseLiteral)


def _literal_options(arguments: Arguments) -> JobOptions | None:
    """The job options, if every one given is a literal (or nil) and all are valid."""
    given: list[tuple[str, object]] = []
    for key in JOB_OPTION_NAMES:
        arg = arguments.keyword(key)
        if arg is None:
            continue
        value = arg.value
        if value.__class__ is Nil:
            given.append((key, None))
        elif value.__class__ in _LITERALS:
            assert isinstance(value, Literal)
            given.append((key, value.value))
        else:
            return None
    try:
        return validate_job_options(given)
    except JobOptionInvalid:
        return None


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
            tokens = stream.into_inner(tag=token, eat=True)
            refusal = f"{self.name} takes name: value arguments only"
            arguments = _refuse_reserved(parse_keyword_arguments(self.env, tokens, refusal))
            opening_end = expression.start_index + len(expression.value)
        return self._parse_block_form(token, arguments, opening_end, stream)

    def _parse_partial_form(self, token: Token, tokens: TokenStream) -> Node:
        call = parse_partial_call(self.env, tokens, self.name)
        arguments = _refuse_reserved(call.arguments)
        return BackgroundNode(token, arguments, target=call.target, partial=call.partial)

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


def _refuse_reserved(arguments: Arguments) -> Arguments:
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
