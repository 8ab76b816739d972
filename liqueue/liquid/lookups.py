"""Variable lookups of liqueue's render context, with a fast path for plain data.

python-liquid resolves `order.items.first.sku` by trying each namespace of
its scope in turn (a raised and caught KeyError per namespace missed) and
each segment through `RenderContext.get_item` (a dozen checks for `size`,
`first`, `last`, drops and strings). A job's arguments are decoded JSON:
dicts, lists and scalars. For those, the answer is known at a glance; the
fast path takes it and hands anything else (a drop, a missing key, a
special word on a list, an undefined variable) to python-liquid's `get`
from the start, so every result and every error is python-liquid's own.
Nothing is evaluated twice that could notice it: the fast path reads only
dicts and lists before it gives up.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from itertools import chain
from typing import Any

from liquid.utils import ReadOnlyChainMap


class ScopeChain(ReadOnlyChainMap):
    """python-liquid's read-only chain of namespaces, searched with `in` (no
    exception per namespace missed); `maps` is public to `fast_lookup`."""

    def __init__(self, *maps: Mapping[str, object]) -> None:
        self.maps: deque[Mapping[str, object]] = deque(maps)

    def __getitem__(self, key: str) -> object:
        for mapping in self.maps:
            if key in mapping:
                return mapping[key]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return chain(*self.maps)

    def __len__(self) -> int:
        return sum(len(mapping) for mapping in self.maps)

    def size(self) -> int:
        return len(self.maps)

    def push(self, namespace: Mapping[Any, Any]) -> None:
        self.maps.appendleft(namespace)

    def pop(self) -> Mapping[Any, Any]:
        return self.maps.popleft()


# What a lookup gives when the fast path cannot answer.
MISS = object()


def fast_lookup(scope: ScopeChain, path: Sequence[object]) -> object:
    """The value at `path` if only dicts and lists lie on the way; `MISS` otherwise."""
    return lookup_segments(scope, path[0], path[1:])


def lookup_segments(scope: ScopeChain, root: object, rest: Sequence[object]) -> object:
    """`fast_lookup` of the path `root` then `rest`, for a caller holding them apart."""
    if root.__class__ is not str:
        return MISS
    for mapping in scope.maps:
        if mapping.__class__ is dict:
            obj: Any = mapping.get(root, MISS)
            if obj is not MISS:
                break
        elif root in mapping:
            obj = mapping[root]
            break
    else:
        return MISS
    for segment in rest:
        kind = obj.__class__
        if kind is dict:
            # python-liquid tries `obj[key]` first for every key, `size`,
            # `first` and `last` included: a key present is its answer.
            if segment.__class__ is not str:
                return MISS
            obj = obj.get(segment, MISS)
            if obj is MISS:
                return MISS
        elif kind is list and obj:
            if segment.__class__ is int:
                if not -len(obj) <= segment < len(obj):
                    return MISS
                obj = obj[segment]
            elif segment.__class__ is not str:
                return MISS
            elif segment == "first":
                obj = obj[0]
            elif segment == "last":
                obj = obj[-1]
            elif segment == "size":
                obj = len(obj)
            else:
                return MISS
        else:
            return MISS
    return obj


def missed(value: object) -> bool:
    return value is MISS
