"""What the server needs to know of a page before rendering it: where it
renders, and which of its request's keys under `context` it may read.

Handing a render to Starlette's thread pool and back cost more of the
server's time than rendering a small page (two thread switches and a fight
for the GIL per request), so a page that cannot block renders on the event
loop. Pages that can block go to the pool: an `api_call` waits on the
network, a `function` may run a host function (any Python), and `include`,
`render` and `function` partials may do either. A `background` body is not
run by the page, so what it holds does not count. A page that renders
slowly anyway (long loops) goes to the pool after two slow renders in a
row (one may be slow for once: the first imports what it needs, a garbage
collection may fall in another), so it does not hold up every other
request; an edit makes it judged again.
Where the page's outbox is committed (on the loop or by the writer thread)
is group_commit.py's choice, not this module's.

Minting a session's token sets the session cookie, and signing that cookie
for every cookie-less request cost about a tenth of a small page's time; and
building every key of `context` a request gives (its headers renamed, its
location, session, page) cost more than rendering a small page. So a page
is given only the keys it may read: `authenticity_token` if its text names
it anywhere, another key if its text names `context.<key>`, and every key
if it names `context` other than as `context.<key>` (handed on whole, or
read with brackets) or uses a partial or an API call (which may read
anything through `context`). Erring means building a key the page did not
need, never missing one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from liquid import RenderContext
from liquid.builtin.tags.include_tag import IncludeNode
from liquid.builtin.tags.render_tag import RenderNode

from liqueue.liquid.routes import Route, layout_path
from liqueue.liquid.tags.api_call import ApiCallNode
from liqueue.liquid.tags.background import BackgroundNode
from liqueue.liquid.tags.function import FunctionNode
from liqueue.web.request_context import REQUEST_KEYS

if TYPE_CHECKING:
    from liquid import BoundTemplate
    from liquid.ast import Node

    from liqueue.liquid.runtime import Runtime

SLOW_SECONDS = 0.005  # a render taking more CPU time than this is slow
SLOW_RENDERS = 2  # a page rendered slowly this often in a row goes to the thread pool
_MAY_BLOCK = (ApiCallNode, FunctionNode, IncludeNode, RenderNode)
_READS_WHOLE = re.compile(r"\bcontext\b(?!\s*\.\s*[A-Za-z_])")
_READS_KEY = re.compile(r"\bcontext\s*\.\s*([A-Za-z_]\w*)")
_TOKEN = "authenticity_token"
EVERY_KEY = frozenset(REQUEST_KEYS)


@dataclass(frozen=True)
class _Traits:
    template: BoundTemplate | None  # as judged; None: it could not be loaded
    on_loop: bool
    reads: frozenset[str]  # the request's keys under `context` it may read
    slow_renders: int = 0  # in a row


_UNKNOWN = _Traits(None, on_loop=False, reads=EVERY_KEY)


class InlinePages:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime
        self._judged: dict[str, _Traits] = {}  # relative path -> what it was judged to be

    def traits(self, route: Route) -> tuple[bool, frozenset[str]]:
        """(renders on the event loop, the request keys it may read under
        `context`) for `route`'s page and layout as they are now."""
        if not route.layout:
            judged = self._judge(route.path)
            return judged.on_loop, judged.reads
        page, layout = self._judge(route.path), self._judge(layout_path(route.layout))
        return page.on_loop and layout.on_loop, page.reads | layout.reads

    def rendered(self, route: Route, cpu_seconds: float) -> None:
        """Note how long a render on the loop took (no file is looked at)."""
        for relative in _files(route):
            traits = self._judged.get(relative)
            if traits is None or (cpu_seconds <= SLOW_SECONDS and not traits.slow_renders):
                continue
            slow = traits.slow_renders + 1 if cpu_seconds > SLOW_SECONDS else 0
            on_loop = traits.on_loop and slow < SLOW_RENDERS
            self._judged[relative] = _Traits(traits.template, on_loop, traits.reads, slow)

    def _judge(self, relative: str) -> _Traits:
        loader = self._runtime.loader
        try:
            template = loader.load_path(self._runtime.env, relative)
            judged = self._judged.get(relative)
            if judged is not None and judged.template is template:
                return judged
            text = loader.read(relative).text
        except Exception:  # the render, in the thread pool, reports it
            return _UNKNOWN
        context = RenderContext(template)
        partial = any(isinstance(node, _MAY_BLOCK) for node in _walk(template.nodes, context))
        traits = _Traits(template, not partial, EVERY_KEY if partial else _keys_read(text))
        self._judged[relative] = traits
        return traits


def _keys_read(text: str) -> frozenset[str]:
    if _READS_WHOLE.search(text):
        return EVERY_KEY
    named = set(_READS_KEY.findall(text))
    if _TOKEN in text:
        named.add(_TOKEN)
    return EVERY_KEY & named


def _files(route: Route) -> list[str]:
    return [route.path, layout_path(route.layout)] if route.layout else [route.path]


def _walk(nodes: list[Node], context: RenderContext) -> Iterator[Node]:
    for wrapped in nodes:
        node = getattr(wrapped, "inner", wrapped)  # liquid/nodes.py's Positioned
        yield node
        if not isinstance(node, BackgroundNode):
            yield from _walk(list(node.children(context, include_partials=False)), context)
