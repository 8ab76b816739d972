"""YAML read with bounds: `liqueue.yml` and templates' front matter.

PyYAML shares one object for every `*alias` of an anchor, so a few hundred
bytes of nested aliases ("billion laughs") expand into gigabytes once the
value is copied or written out as JSON. The document is composed first and
its size counted as if every alias were written out; a document that would
expand past `MAX_EXPANDED` characters, nests deeper than `MAX_DEPTH` or
refers to itself is refused before any Python value is built.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_EXPANDED = 1_000_000  # characters of scalars plus one per node, aliases expanded
MAX_DEPTH = 100

KeyPath = tuple[str, ...]


class YamlRefused(yaml.YAMLError):
    """A document too large, too deep or recursive; `line` is 1-based within the text."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load_yaml(text: str) -> tuple[Any, dict[KeyPath, int]]:
    """The document's value, and the 1-based line of every mapping key by its path
    (`("priorities", "high", "weight")`); YAMLError when it cannot be read."""
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlRefused(f"nested more than {MAX_DEPTH} levels deep", 1) from None
        if node is None:
            return None, {}
        _Measure().size(node, 0)
        lines: dict[KeyPath, int] = {}
        _key_lines(node, (), lines)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


class _Measure:
    def __init__(self) -> None:
        self.sizes: dict[int, int] = {}
        self.open: set[int] = set()

    def size(self, node: Node, depth: int) -> int:
        key = id(node)
        known = self.sizes.get(key)
        if known is not None:
            return known
        line = node.start_mark.line + 1
        if key in self.open:
            raise YamlRefused("an alias refers to the value that contains it", line)
        if depth > MAX_DEPTH:
            raise YamlRefused(f"nested more than {MAX_DEPTH} levels deep", line)
        self.open.add(key)
        total = 1
        if isinstance(node, ScalarNode):
            total += len(node.value)
        elif isinstance(node, SequenceNode):
            total += sum(self.size(item, depth + 1) for item in node.value)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                total += self.size(k, depth + 1) + self.size(v, depth + 1)
        self.open.discard(key)
        if total > MAX_EXPANDED:
            raise YamlRefused(
                f"expands to more than {MAX_EXPANDED:,} characters once its aliases "
                "(*name) are written out",
                line,
            )
        self.sizes[key] = total
        return total


def _key_lines(node: Node, path: KeyPath, lines: dict[KeyPath, int]) -> None:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                inner = (*path, key.value)
                lines.setdefault(inner, key.start_mark.line + 1)
                _key_lines(value, inner, lines)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            inner = (*path, str(index))
            lines.setdefault(inner, item.start_mark.line + 1)
            _key_lines(item, inner, lines)
