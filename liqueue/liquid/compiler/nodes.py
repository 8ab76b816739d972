"""Nodes as closures `render(context, buffer) -> int`.

Each closure is the node's `render`: the disabled-tags check of python-
liquid's `Node.render`, then what its `render_to_output` does, its children
and expressions compiled too. `Positioned` keeps its error handling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from liquid.ast import BlockNode, Node
from liquid.builtin.content import ContentNode
from liquid.builtin.drops import IterableDrop
from liquid.builtin.expressions.loop import LoopExpression
from liquid.builtin.output import OutputNode
from liquid.builtin.tags.assign_tag import AssignNode
from liquid.builtin.tags.capture_tag import CaptureNode
from liquid.builtin.tags.for_tag import ForLoop, ForNode
from liquid.builtin.tags.if_tag import IfNode
from liquid.builtin.tags.include_tag import IncludeNode
from liquid.builtin.tags.liquid_tag import LiquidNode
from liquid.builtin.tags.unless_tag import UnlessNode
from liquid.exceptions import BreakLoop, ContextDepthError, ContinueLoop, TemplateNotFoundError
from liquid.output import NullIO
from liquid.stringify import to_liquid_string

from liqueue.liquid.compiler.expressions import compile_expression
from liqueue.liquid.positioned import Positioned, positioned_error

if TYPE_CHECKING:
    from liquid import Environment, RenderContext
    from liquid.token import Token

Render = Callable[["RenderContext", TextIO], int]

_NODE_RENDER = Node.render


def compile_nodes(nodes: Sequence[Node], env: Environment) -> list[Render]:
    return [compile_node(node, env) for node in nodes]


def compile_node(node: Node, env: Environment) -> Render:
    kind = type(node)
    if kind is Positioned:
        assert isinstance(node, Positioned)
        return _positioned(node, env)
    if kind.render is not _NODE_RENDER:
        return node.render
    compiled = getattr(node, "compiled", None)
    if compiled is not None:  # a liqueue tag compiling itself (tags/log.py)
        render: Render = compiled(env)
        return render
    # Keyed by the method, not the class: a subclass rendering differently
    # is not mistaken for its base.
    compiler = _COMPILERS.get(kind.render_to_output)
    return node.render if compiler is None else compiler(node, env)


def _positioned(node: Positioned, env: Environment) -> Render:
    inner = compile_node(node.inner, env)
    token = node.inner.token

    def positioned(context: RenderContext, buffer: TextIO) -> int:
        try:
            return inner(context, buffer)
        except Exception as err:
            _reraise_placed(err, token)

    return positioned


def _content(node: Node, _env: Environment) -> Render:
    assert isinstance(node, ContentNode)
    text = node.text

    def content(context: RenderContext, buffer: TextIO) -> int:
        if context.disabled_tags:
            node.raise_for_disabled(context.disabled_tags)
        return buffer.write(text)

    return content


def _output(node: Node, env: Environment) -> Render:
    assert isinstance(node, OutputNode)
    evaluate = compile_expression(node.expression, env)

    def output(context: RenderContext, buffer: TextIO) -> int:
        if context.disabled_tags:
            node.raise_for_disabled(context.disabled_tags)
        return buffer.write(to_liquid_string(evaluate(context), context.autoescape))

    return output


def _assign(node: Node, env: Environment) -> Render:
    assert isinstance(node, AssignNode)
    evaluate = compile_expression(node.expression, env)
    # A plain str: python-liquid's Identifier is one too, hashing in Python.
    name = str(node.name)

    def assign(context: RenderContext, _buffer: TextIO) -> int:
        if context.disabled_tags:
            node.raise_for_disabled(context.disabled_tags)
        context.assign(name, evaluate(context))
        return 0

    return assign


def _capture(node: Node, env: Environment) -> Render:
    assert isinstance(node, CaptureNode)
    block = compile_node(node.block, env)
    assign = node._assign

    def capture(context: RenderContext, buffer: TextIO) -> int:
        if context.disabled_tags:
            node.raise_for_disabled(context.disabled_tags)
        buf = context.get_buffer(buffer)
        block(context, buf)
        assign(context, buf)
        return False

    return capture


def _block(node: Node, env: Environment) -> Render:
    assert isinstance(node, BlockNode)
    steps = _steps(node.nodes, env)
    blank = node.blank
    if blank and all(_writes_nothing(child) for child in node.nodes):
        # Nothing to suppress: the NullIO python-liquid would render into
        # (one per turn of a loop) would receive no write.

        def silent_block(context: RenderContext, buffer: TextIO) -> int:
            if context.disabled_tags:
                node.raise_for_disabled(context.disabled_tags)
            for render, token in steps:
                try:
                    render(context, buffer)
                except Exception as err:
                    _reraise_placed(err, token)
            return 0

        return silent_block

    def block(context: RenderContext, buffer: TextIO) -> int:
        if context.disabled_tags:
            node.raise_for_disabled(context.disabled_tags)
        out = buffer
        if blank and context.env.suppress_blank_control_flow_blocks:
            out = NullIO()
        count = 0
        for render, token in steps:
            try:
                count += render(context, out)
            except Exception as err:
                _reraise_placed(err, token)
        return 0 if out is not buffer else count

    return block


def _steps(nodes: Sequence[Node], env: Environment) -> list[tuple[Render, Token | None]]:
    """A block's children as (render, token): a `Positioned` child is its inner
    node, its errors placed by the block's own `try` (free until one is raised)
    rather than by a wrapping closure called on every render."""
    steps: list[tuple[Render, Token | None]] = []
    for child in nodes:
        if type(child) is Positioned:
            assert isinstance(child, Positioned)
            steps.append((compile_node(child.inner, env), child.inner.token))
        else:
            steps.append((compile_node(child, env), None))
    return steps


def _reraise_placed(err: Exception, token: Token | None) -> NoReturn:
    if token is None:
        raise err
    raised = positioned_error(err, token)
    if raised is err:
        raise err
    raise raised from err


def _writes_nothing(node: Node) -> bool:
    """An `assign` (positioned or not): it never touches the buffer, and renders 0."""
    if type(node) is Positioned:
        assert isinstance(node, Positioned)
        return _writes_nothing(node.inner)
    kind = type(node)
    return kind.render is _NODE_RENDER and kind.render_to_output is AssignNode.render_to_output


def _if(node: Node, env: Environment) -> Render:
    assert isinstance(node, IfNode)
    return _conditional(node, env, negate_first=False)


def _unless(node: Node, env: Environment) -> Render:
    assert isinstance(node, UnlessNode)
    return _conditional(node, env, negate_first=True)


def _conditional(node: IfNode | UnlessNode, env: Environment, *, negate_first: bool) -> Render:
    """`if` (or `unless`, its first condition negated), its `elsif`s and `else`."""
    condition = compile_expression(node.condition, env)
    consequence = compile_node(node.consequence, env)
    alternatives = [
        (compile_expression(alternative.expression, env), compile_node(alternative.block, env))
        for alternative in node.alternatives
    ]
    default = compile_node(node.default, env) if node.default else None

    def conditional(context: RenderContext, buffer: TextIO) -> int:
        if context.disabled_tags:
            node.raise_for_disabled(context.disabled_tags)
        if bool(condition(context)) is not negate_first:
            return consequence(context, buffer)
        for alternative_condition, block in alternatives:
            if alternative_condition(context):
                return block(context, buffer)
        if default:
            return default(context, buffer)
        return 0

    return conditional


def _for(node: Node, env: Environment) -> Render:
    assert isinstance(node, ForNode)
    expression = node.expression
    name = expression.identifier
    loop_name = f"{name}-{expression.iterable}"
    block = compile_node(node.block, env)
    default = compile_node(node.default, env) if node.default else None
    evaluate = _loop_items(expression, loop_name, env)

    def for_loop(context: RenderContext, buffer: TextIO) -> int:
        if context.disabled_tags:
            node.raise_for_disabled(context.disabled_tags)
        it, length = evaluate(context)
        if not length:
            return default(context, buffer) if default else 0
        count = 0
        forloop = ForLoop(name=loop_name, it=it, length=length, parentloop=context.parentloop())
        namespace: dict[str, object] = {"forloop": forloop, name: None}
        # `with context.loop(namespace, forloop)` by hand: its two nested
        # generator context managers cost a job's 20-item loop more than
        # three of its turns.
        context.raise_for_loop_limit(length)
        loops = context.loops
        loops.append(forloop)
        push_scope(context, namespace)
        try:
            # ForLoop.__next__ is `step()` then `next(it)`: the same, without
            # two Python calls a turn (and the step of the call that ends it).
            for item in it:
                forloop._index += 1
                namespace[name] = item
                try:
                    count += block(context, buffer)
                except ContinueLoop:
                    continue
                except BreakLoop:
                    break
            else:
                forloop._index += 1
        finally:
            context.scope.pop()
            loops.pop()
        return count

    return for_loop


def _loop_items(
    expression: LoopExpression, loop_name: str, env: Environment
) -> Callable[[RenderContext], tuple[Iterator[object], int]]:
    """`LoopExpression.evaluate`, the iterable compiled: a list, with no
    `limit`, `offset` or `reversed`, is iterated as it is; anything else
    takes python-liquid's own steps from the value."""
    if (
        type(expression).evaluate is not LoopExpression.evaluate
        or expression.limit is not None
        or expression.offset is not None
        or expression.reversed
    ):
        return expression.evaluate
    iterable = compile_expression(expression.iterable, env)

    def loop_items(context: RenderContext) -> tuple[Iterator[object], int]:
        value = iterable(context)
        if value.__class__ is list:
            # What `_slice` records for a later `offset: continue`: the end.
            context.stopindex(key=loop_name, index=len(value))
            return iter(value), len(value)
        it, length = expression._to_iter(value, context)
        return expression._slice(it, length, context, limit=None, offset=None)

    return loop_items


def _include(node: Node, env: Environment) -> Render:
    """`{% include %}`: python-liquid's steps, with `context.extend` by hand."""
    assert isinstance(node, IncludeNode)
    template_name = compile_expression(node.name, env)
    name_token = node.name.token
    arguments = [(arg.name, compile_expression(arg.value, env)) for arg in node.args]
    bound = None if node.var is None else compile_expression(node.var, env)
    alias = node.alias
    tag = node.tag

    def include(context: RenderContext, buffer: TextIO) -> int:
        if context.disabled_tags:
            node.raise_for_disabled(context.disabled_tags)
        try:
            template = context.env.get_template(
                str(template_name(context)), context=context, tag=tag
            )
        except TemplateNotFoundError as err:
            err.token = name_token
            err.template_name = context.template.full_name()
            raise
        namespace = {key: evaluate(context) for key, evaluate in arguments}
        caller = context.template
        push_scope(context, namespace)
        context.template = template
        try:
            if bound is None:
                template.render_with_context(context, buffer, partial=True)
                return True
            value = bound(context)
            key = alias or template.name.split(".")[0]
            if isinstance(value, (tuple, list, IterableDrop)):
                context.raise_for_loop_limit(len(value))
                for item in value:
                    namespace[key] = item
                    template.render_with_context(context, buffer, partial=True)
            else:
                namespace[key] = value
                template.render_with_context(context, buffer, partial=True)
        finally:
            context.template = caller
            context.scope.pop()
        return True

    return include


def push_scope(context: RenderContext, namespace: Mapping[str, object]) -> None:
    """The first steps of python-liquid's `context.extend(namespace)`: its depth
    check, then the push (the caller pops in its `finally`)."""
    scope = context.scope
    if scope.size() > context.env.context_depth_limit:
        raise ContextDepthError(
            "maximum context depth reached, possible recursive include", token=None
        )
    scope.push(namespace)


def _liquid(node: Node, env: Environment) -> Render:
    """`{% liquid %}`: the block of its lines."""
    assert isinstance(node, LiquidNode)
    block = compile_node(node.block, env)

    def liquid(context: RenderContext, buffer: TextIO) -> int:
        if context.disabled_tags:
            node.raise_for_disabled(context.disabled_tags)
        return block(context, buffer)

    return liquid


_COMPILERS: dict[object, Callable[[Node, Environment], Render]] = {
    ContentNode.render_to_output: _content,
    OutputNode.render_to_output: _output,
    AssignNode.render_to_output: _assign,
    CaptureNode.render_to_output: _capture,
    BlockNode.render_to_output: _block,
    IfNode.render_to_output: _if,
    UnlessNode.render_to_output: _unless,
    ForNode.render_to_output: _for,
    IncludeNode.render_to_output: _include,
    LiquidNode.render_to_output: _liquid,
}
