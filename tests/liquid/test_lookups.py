"""Variable lookups (liqueue/liquid/lookups.py) answer what python-liquid answers.

The fast path reads dicts and lists itself and hands everything else to
python-liquid; each template here renders through the application's
environment and through a bare python-liquid `Environment`, with the same
data, and the outputs (or the failures) must match.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from liquid import Environment
from liquid.exceptions import LiquidError

from liqueue.config import AppConfig
from liqueue.liquid.environment import build_environment
from liqueue.liquid.lookups import ScopeChain


class Shelf(Mapping[str, object]):
    """A Mapping that is not a dict: the fast path must leave it to python-liquid."""

    def __init__(self, **items: object) -> None:
        self._items = items

    def __getitem__(self, key: str) -> object:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


DATA: dict[str, Any] = {
    "order": {
        "id": 7,
        "items": [{"sku": "A", "price": 3}, {"sku": "B", "price": 4}],
        "tags": ["x", "y", "z"],
        "empty": [],
        "size": "own size key",
        "first": "own first key",
        "nested": {"deep": {"er": [1, [2, 3]]}},
    },
    "shelf": Shelf(size="shelf size", book="dune"),
    "text": "hello",
    "n": 3,
    "key": "sku",
    "index": 1,
}

TEMPLATES = [
    "{{ order.id }} {{ order.items.first.sku }} {{ order.items.last.price }}",
    "{{ order.items.size }} {{ order.tags.size }} {{ order.size }} {{ order.first }}",
    "{{ order.tags[0] }} {{ order.tags[-1] }} {{ order.tags[5] }} {{ order.tags[-9] }}",
    "{{ order.empty.first }}|{{ order.empty.last }}|{{ order.empty.size }}",
    "{{ order.nested.deep.er[1][0] }} {{ order.nested.deep.er.last.last }}",
    "{{ order.items[index].sku }} {{ order.items[0][key] }} {{ order.tags[order.id] }}",
    "{{ shelf.size }} {{ shelf.book }} {{ shelf.missing }}",
    "{{ text.size }} {{ text.first }}|{{ missing.thing }}|{{ order.missing.deeper }}",
    "{{ n.size }}|{{ order.id.size }}|{{ order.items.sku }}",
    "{% for item in order.items %}{{ item.sku }}{{ forloop.index }}{{ item.size }}{% endfor %}",
    "{% assign total = 0 %}{% for item in order.items %}"
    "{% assign total = total | plus: item.price %}{% endfor %}{{ total }}",
    "{% assign text = 'shadowed' %}{{ text }}{% for text in order.tags %}{{ text }}{% endfor %}"
    "{{ text }}",
    "{% increment n %}{% increment n %}{{ n }}",
]


def _render(env: Environment, source: str) -> tuple[str, str]:
    try:
        return "ok", env.from_string(source).render(**DATA)
    except LiquidError as err:
        return "error", type(err).__name__


@pytest.fixture
def app_env(tmp_path: Path) -> Environment:
    return build_environment(tmp_path, AppConfig())


@pytest.mark.parametrize("source", TEMPLATES)
def test_renders_what_python_liquid_renders(app_env: Environment, source: str) -> None:
    assert _render(app_env, source) == _render(Environment(), source)


def test_scope_chain_searches_its_namespaces_in_order() -> None:
    inner: dict[str, object] = {"a": 1}
    chain = ScopeChain(inner, {"a": 2, "b": 3}, Shelf(c=4))
    assert (chain["a"], chain["b"], chain["c"]) == (1, 3, 4)
    chain.push({"b": "pushed"})
    pushed = (chain["b"], chain.size())
    chain.pop()
    assert pushed == ("pushed", 4)
    assert (chain["b"], chain.size()) == (3, 3)
    with pytest.raises(KeyError):
        chain["nowhere"]
