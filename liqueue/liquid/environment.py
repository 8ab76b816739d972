"""The python-liquid `Environment` of one application.

Strict mode (`Mode.STRICT`): every syntax error is raised. Undefined
variables render as nothing, as on platformOS; unknown filters are errors.
Resource limits come from `AppConfig.limits`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from liquid import Environment, Mode
from liquid.ast import Node
from liquid.exceptions import LiquidError
from liquid.parser import get_parser
from liquid.stream import TokenStream

from liqueue.clock import SYSTEM_CLOCK, Clock
from liqueue.config import AppConfig, Limits
from liqueue.liquid import ranges, ruby_blank
from liqueue.liquid.balance import balance, keep_positions
from liqueue.liquid.checks import TemplateChecker
from liqueue.liquid.filters import register_filters
from liqueue.liquid.loader import AppLoader
from liqueue.liquid.nodes import AppTemplate
from liqueue.liquid.positioned import Positioned
from liqueue.liquid.tags import PLATFORM_TAGS
from liqueue.liquid.tags.for_tag import PlainNameForTag

if TYPE_CHECKING:
    from liquid.tag import Tag
    from liquid.token import Token

# Tags whose nodes may raise errors python-liquid leaves without a position.
_POSITIONED_TAGS = frozenset(
    {"output", "echo", "assign", "capture", "if", "unless", "case", "cycle"}
    | {"for", "tablerow", "include", "render", "function"}
)

# Each nested `include` pushes two namespaces onto python-liquid's scope (the
# arguments, then the partial's own), on top of the four every context starts with.
_BASE_SCOPE = 4
_SCOPES_PER_INCLUDE = 2


class LiqueueEnvironment(Environment):
    template_class = AppTemplate
    # Set for `Runtime.check`: collects problems instead of raising, and sees
    # every node the platform's tags parse.
    checker: TemplateChecker | None = None

    def add_tag(self, tag: type[Tag]) -> None:
        instance = tag(self)
        keep_positions(instance)
        checker = self.checker
        if checker is not None:
            _wrap_nodes(instance, lambda node: _checked(checker, node))
        if instance.name in _POSITIONED_TAGS:
            _wrap_nodes(instance, Positioned)
        self.tags[instance.name] = instance

    def _parse(self, source: str) -> list[Node]:
        tokens = balance(self, self.tokenizer()(source))
        return get_parser(self).parse(TokenStream(iter(tokens)))

    def error(
        self,
        exc: type[LiquidError] | LiquidError,
        msg: str | None = None,
        token: Token | None = None,
    ) -> None:
        if not isinstance(exc, LiquidError):
            exc = exc(msg, token=token)
        elif not exc.token:
            exc.token = token
        if self.checker is not None:
            self.checker.syntax_error(exc)
            return
        raise exc


def _wrap_nodes(tag: Tag, wrap: Callable[[Node], Node]) -> None:
    parse = tag.parse

    def parse_wrapped(stream: TokenStream) -> Node:
        return wrap(parse(stream))

    tag.parse = parse_wrapped  # type: ignore[method-assign]


def _checked(checker: TemplateChecker, node: Node) -> Node:
    checker.node_parsed(node)
    return node


def environment_class(limits: Limits) -> type[LiqueueEnvironment]:
    """An Environment subclass carrying the application's limits (python-liquid
    reads them from class attributes)."""
    return type(
        "AppEnvironment",
        (LiqueueEnvironment,),
        {
            "loop_iteration_limit": limits.loop_iterations,
            "output_stream_limit": limits.output_bytes,
            "context_depth_limit": _BASE_SCOPE + _SCOPES_PER_INCLUDE * limits.include_depth,
            "local_namespace_limit": limits.local_namespace_bytes,
        },
    )


def build_environment(
    root: Path,
    config: AppConfig,
    *,
    checker: TemplateChecker | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> LiqueueEnvironment:
    """The environment of the application at `root`: platform tags and filters
    (reading 'now' from `clock`), the app's partials, its limits."""
    env = environment_class(config.limits)(
        tolerance=Mode.STRICT,
        loader=AppLoader(root, max_bytes=config.limits.template_bytes),
        strict_filters=True,
    )
    env.checker = checker
    tags: tuple[type[Tag], ...] = (*PLATFORM_TAGS, PlainNameForTag)  # python-liquid's `for`
    for tag in tags:
        env.add_tag(tag)
    register_filters(env, clock)
    return env


def iter_template_files(root: Path, directory: str = "app") -> Iterable[Path]:
    base = root / directory
    if not base.is_dir():
        return []
    return sorted(base.rglob("*.liquid"))


ruby_blank.install()
ranges.install()
