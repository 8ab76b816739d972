"""Output buffers that keep the template's line endings.

python-liquid 2.3 writes through `LimitedStringIO(newline=None)` whenever an
output limit is set, and StringIO's universal-newline mode turns every
`\\r\\n` and `\\r` into `\\n`: a CRLF template would render LF output. These
buffers keep the limit and leave the text alone.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Mapping
from io import StringIO
from typing import TYPE_CHECKING, Any, TextIO

from liquid import RenderContext
from liquid.context import builtin
from liquid.exceptions import LocalNamespaceLimitError, OutputStreamLimitError
from liquid.output import LimitedStringIO
from liquid.undefined import UNDEFINED

from liqueue.liquid.lookups import ScopeChain, fast_lookup, missed

if TYPE_CHECKING:
    from liquid import BoundTemplate

    from liqueue.liquid.state import RenderState


class ExactLimitedStringIO(LimitedStringIO):
    # Every job's render opens one and most writes are short ASCII text:
    # python-liquid's own steps (a chain of __init__s, an encode per write)
    # cost a small job more than its text does.
    def __init__(self, limit: int) -> None:
        StringIO.__init__(self, None, "")
        self.limit = limit
        self.size = 0

    def write(self, text: str) -> int:
        if text:
            self.size += len(text) if text.isascii() else len(text.encode("utf-8"))
            if self.size > self.limit:
                raise OutputStreamLimitError("output stream limit reached", token=None)
        return StringIO.write(self, text)


def output_buffer(limit: int | None) -> StringIO:
    return StringIO(newline="") if limit is None else ExactLimitedStringIO(limit)


class AppContext(RenderContext):
    """The render context of liqueue templates.

    Its nested buffers (capture, try) keep line endings too. It carries the
    render's `RenderState` as an attribute, which no template can name, and
    hands it to every context derived for `render` and `function`. It counts
    the size of assigned variables as they are assigned: python-liquid's own
    limit re-measures every local on each `assign`, a cost that grows with
    each variable a template holds. Variables are looked up through
    `liqueue.liquid.lookups` (a fast path for plain data).
    """

    def __init__(
        self,
        template: BoundTemplate,
        *,
        globals: Mapping[str, object] | None = None,  # python-liquid's name
        disabled_tags: list[str] | None = None,
        copy_depth: int = 0,
        parent_context: RenderContext | None = None,
        loop_iteration_carry: int = 1,
        local_namespace_size_carry: int = 0,
    ) -> None:
        # python-liquid's `RenderContext.__init__`, field for field, without
        # its scope (replaced below) and without `globals or {}`, which sums
        # the lengths of a chain of mappings: every job and page builds one
        # of these. tests/liquid/test_output.py checks that every slot of
        # RenderContext is set.
        self.env = template.env
        self.template = template
        self.locals = {}
        self.globals = {} if globals is None else globals
        self.counters = {}
        # The namespaces of python-liquid's own scope, in its order.
        self.scope: ScopeChain = ScopeChain(self.locals, self.globals, builtin, self.counters)
        self.tag_namespace = {
            "cycles": {},
            "ifchanged": "",
            "stopindex": {},
            "extends": defaultdict(list),
            "macros": {},
        }
        self.loops = []
        self.disabled_tags = disabled_tags or []
        self.autoescape = self.env.autoescape
        self._copy_depth = copy_depth
        self.parent_context = parent_context
        self.loop_iteration_carry = loop_iteration_carry
        self.local_namespace_size_carry = local_namespace_size_carry
        self.liqueue_state: RenderState | None = None
        self._local_sizes: dict[str, int] = {}
        self._locals_size = 0

    def copy(self, *args: Any, **kwargs: Any) -> RenderContext:
        derived = super().copy(*args, **kwargs)
        if isinstance(derived, AppContext):
            derived.liqueue_state = self.liqueue_state
        return derived

    def get(self, path: list[object], *, token: Any, default: object = UNDEFINED) -> object:
        found = fast_lookup(self.scope, path)
        if missed(found):
            return super().get(path, token=token, default=default)
        return found

    def assign(self, key: str, val: Any) -> None:
        # `_count`, unrolled: this runs for every `assign` of every render.
        if key.__class__ is not str:
            key = str(key)
        self.locals[key] = val
        size = sys.getsizeof(val, 1)
        sizes = self._local_sizes
        self._locals_size += size - sizes.get(key, 0)
        sizes[key] = size
        limit = self.env.local_namespace_limit
        if limit and self._locals_size + self.local_namespace_size_carry > limit:
            raise LocalNamespaceLimitError("local namespace limit reached", token=None)

    def assign_all(self, variables: dict[str, object]) -> None:
        """Set the variables a render starts with; the first `assign` past the limit fails."""
        for key, value in variables.items():
            self._count(key, value)

    def _count(self, key: str, value: object) -> None:
        # A plain str key: python-liquid's Identifier (the assign tag's name)
        # compares and hashes in Python, on every later lookup of the name.
        key = str(key)
        self.locals[key] = value
        # sys.getsizeof is shallow, as python-liquid's measure is: what a
        # collection holds was counted when it was assigned itself.
        size = sys.getsizeof(value, 1)
        self._locals_size += size - self._local_sizes.get(key, 0)
        self._local_sizes[key] = size

    def get_size_of_locals(self) -> int:
        return self._locals_size + self.local_namespace_size_carry

    def get_buffer(self, buf: TextIO | None = None) -> StringIO:
        limit = self.env.output_stream_limit
        if limit is None:
            return StringIO(newline="")
        carry = buf.size if isinstance(buf, LimitedStringIO) else 0
        return ExactLimitedStringIO(limit - carry)
