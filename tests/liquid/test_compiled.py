"""Compiled rendering (liqueue.liquid.compiler) against python-liquid's own.

Every template here renders twice through a real application: compiled, and
with `AppTemplate.compiled` off (python-liquid walking its tree). Output,
logs and errors (class, message, file, line and column) must be the same.
Most templates are drawn at random from fragments chosen for their corners:
undefined paths, filter errors, loop limits, break and continue through
includes, blank blocks, whitespace control.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from liqueue.config import AppConfig, Limits
from liqueue.liquid import Runtime
from liqueue.liquid.nodes import AppTemplate

from .liquid_apps import AppDir

PARAMS: dict[str, object] = {
    "n": 3,
    "s": "Hello, World",
    "xs": [1, 2, 3, 4],
    "empty": [],
    "h": {"a": 1, "size": "big", "first": "f"},
    "nil": None,
    "order": {
        "currency": "EUR",
        "customer": {"name": "Ada"},
        "items": [{"sku": f"SKU-{i}", "price": 10 + i} for i in range(5)],
    },
}

PARTIALS = {
    "inner": "{% assign inner = 'in' %}{{ s }}{% for x in xs %}{% if x == 2 %}{% continue %}"
    "{% endif %}{{ x }}{% endfor %}",
    "breaks": "{{ i }}{% if i == 2 %}{% break %}{% endif %}",
    "shows": "[{{ shows }}|{{ k }}]",
    "fails": "ok\n  {{ xs | nosuch }}",
    "itself": "{{ forloop.index }}{% include 'itself' %}",
}

EXPRESSIONS = [
    "1", "'a'", "2.5", "true", "false", "nil", "empty", "blank", "(1..3)", "n", "s", "xs",
    "xs.first", "xs.last", "xs.size", "xs[0]", "xs[-1]", "xs[9]", "xs[n]", "h.a", "h['a']",
    "h.size", "h.first", "s.size", "s.first", "missing", "missing.deep", "order.items.first.sku",
    "order.items[1].price", "order.customer.name", "forloop.index", "forloop.parentloop.index",
    "i", "total", "inner", "c",
]  # fmt: skip

FILTERS = [
    "", "| upcase", "| downcase", "| size", "| first", "| plus: 1", "| plus: n", "| plus: 'x'",
    "| minus: xs", "| default: 'd'", "| default: 'd', allow_false: true", "| append: s",
    "| split: ','", "| join: '-'", "| times: 2",
    "| json", "| plus: i | times: 2", "| size | plus: 1", "| where: 'a'", "| slice: 1, 2",
    "| truncate: 3", "| append: total", "| escape",
]  # fmt: skip
# Filters that fail (unknown, wrong arguments, a Python error): drawn rarely,
# since an error ends the whole render.
FAILING_FILTERS = ["| divided_by: 0", "| nosuch", "| upcase: 1", "| plus: 1, 2", "| at_least"]

LOG_TYPES = ["s", "nil", "missing", "n", "'t'", "''", "s | upcase"]

CONDITIONS = [
    "{e}", "{e} == {f}", "{e} != {f}", "{e} > {f}", "{e} contains 'l'", "{e} and {f}",
    "{e} or {f}", "{e} == blank", "{e} == empty", "not_there", "{e} < {f}", "{e} <= {f}",
    "{e} >= {f}", "{e} and {f} or {e}", "{e} == nil", "{e} != blank", "{f} contains {e}",
]  # fmt: skip


def _statement(rng: random.Random, depth: int) -> str:
    e = rng.choice(EXPRESSIONS)
    f = rng.choice(FAILING_FILTERS if rng.random() < 0.03 else FILTERS)
    choices: list[Callable[[], str]] = [
        lambda: f"{{{{ {e} {f} }}}}",
        lambda: f"{{%- assign {rng.choice(['total', 'c', 'v'])} = {e} {f} -%}}",
        lambda: f"{{% echo {e} {f} %}}",
        lambda: rng.choice(["text ", "\n  ", " ", "\r\n", "<b>&</b>"]),
        lambda: f"{{% log {e} {f} %}}",
        lambda: f"{{% log {e}, type: {rng.choice(LOG_TYPES)} %}}",
        lambda: rng.choice(["{% break %}", "{% continue %}", "{% increment k %}{{ k }}"]),
        lambda: "{% include 'inner' %}",
        lambda: f"{{% include 'shows' with {rng.choice(['xs', 'h', 'n', 'missing'])} %}}",
        lambda: f"{{% render 'shows', k: {e} %}}",
        lambda: f"{{% include 'shows', k: {e} {f}, shows: {rng.choice(EXPRESSIONS)} %}}",
        lambda: f"{{% include 'shows' for {rng.choice(['xs', 'h', 'n'])} as k %}}",
        lambda: (
            f"{{% cycle 'a', 'b' %}}{{% case {e} %}}{{% when 1 %}}one{{% else %}}other"
            "{% endcase %}"
        ),
        lambda: f"{{% liquid\n  assign v = {e} {f}\n  echo v\n%}}",
    ]
    if depth < 2:

        def body() -> str:
            return _body(rng, depth + 1)

        condition = rng.choice(CONDITIONS).format(e=e, f=rng.choice(EXPRESSIONS))
        iterable = rng.choice(["xs", "order.items", "(1..n)", "empty", "s", "h", "missing", "n"])
        tail = rng.choice(["", " limit: 2", " offset: 1", " reversed", " limit: n offset: 1"])
        choices += [
            lambda: (
                f"{{% if {condition} %}}{body()}{{% elsif {e} %}}{body()}{{% else %}}"
                f"{body()}{{% endif %}}"
            ),
            lambda: f"{{% unless {condition} %}}{body()}{{% else %}}{body()}{{% endunless %}}",
            lambda: f"{{% for i in {iterable}{tail} %}}{body()}{{% else %}}{body()}{{% endfor %}}",
            lambda: f"{{%- for i in {iterable}{tail} -%}}{body()}{{%- endfor -%}}",
            lambda: f"{{% for i in xs %}}{{% include 'breaks' %}}{body()}{{% endfor %}}",
            lambda: f"{{% capture c %}}{body()}{{% endcapture %}}[{{{{ c }}}}]",
        ]
    return rng.choice(choices)()


def _body(rng: random.Random, depth: int) -> str:
    return "".join(_statement(rng, depth) for _ in range(rng.randint(1, 4)))


def _outcome(runtime: Runtime) -> tuple[object, ...]:
    try:
        result = runtime.render("index", PARAMS)
    except Exception as err:
        return ("error", type(err).__name__, str(err))
    logs = [(entry.type, entry.message, entry.location) for entry in result.outbox.logs]
    return ("ok", result.output, logs)


def _both(
    app: AppDir, config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[object, ...]]:
    outcomes = []
    for compiled in (True, False):
        monkeypatch.setattr(AppTemplate, "compiled", compiled)
        outcomes.append(_outcome(app.runtime(config)))
    return outcomes


SMALL_LIMITS = AppConfig(
    limits=Limits(loop_iterations=12, output_bytes=300, local_namespace_bytes=600)
)


@pytest.mark.parametrize("seed", range(40))
def test_random_templates_render_as_python_liquid_renders_them(
    app: AppDir, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    for name, text in PARTIALS.items():
        app.partial(name, text)
    for _ in range(25):
        source = _body(rng, 0)
        app.page("index", source)
        for config in (AppConfig(), SMALL_LIMITS):
            compiled, interpreted = _both(app, config, monkeypatch)
            assert compiled == interpreted, source


TRICKY = [
    "{% for i in xs %}{% for j in xs %}{{ forloop.parentloop.index }}{{ j }}{% if j == 2 %}"
    "{% break %}{% endif %}{% endfor %}{% endfor %}",
    "{% for i in xs %}{% assign f = forloop %}{% endfor %}{{ f.index }}{{ f.last }}",
    "{% for i in xs limit: 2 %}{{ i }}{% endfor %}{% for i in xs offset: continue %}{{ i }}"
    "{% endfor %}",
    "{% for i in xs %}{{ i }}{% endfor %}{% for i in xs offset: continue %}{{ i }}{% else %}"
    "done{% endfor %}{% for p in h %}{{ p }}{% endfor %}{% for c in s %}[{{ c }}]{% endfor %}"
    "{% for i in n %}{{ i }}{% else %}not a list{% endfor %}{% for i in (2..4) %}{{ i }}{% endfor %}",
    "{% break %}after",
    "{% include 'breaks' %}",
    "{% for i in xs %}{% include 'itself' %}{% endfor %}",
    "{% include 'nosuch' %}",
    "{% assign p = 'shows' %}{% include p with 3 %}{% include p, k: s | upcase %}",
    "{% for i in xs %}{% include 'breaks' %}{% endfor %}",
    "{% for i in (1..100) %}{{ i }}{% endfor %}",
    "{% for i in xs %}{% for j in xs %}{% for k in xs %}x{% endfor %}{% endfor %}{% endfor %}",
    "{% assign big = s | append: s | append: s | append: s | append: s | append: s %}"
    "{% assign big = big | append: big | append: big %}",
    "{{ s | append: s | append: s | append: s | append: s | append: s | append: s }}"
    "{{ s | append: s | append: s | append: s | append: s | append: s | append: s }}",
    "a\n  {{ xs | upcase: 1 }}",
    "a\n  {% assign x = n | divided_by: 0 %}",
    "a\n\n   {{ h | nosuch }}",
    "{% if xs %}\n  {% assign t = 1 %}\n{% endif %}|",
    "{% for i in xs %}  {% assign t = i %}  {% endfor %}|{{ t }}",
    "{%- if true -%}  a  {%- endif -%}|{%- unless true %}b{% else -%} c {% endunless -%}",
    "{% capture c %}{% for i in xs %}{{ i }}{% endfor %}{% endcapture %}{{ c | size }}",
    "{% for i in order.items reversed %}{{ i.sku }}{% else %}none{% endfor %}",
    "{% for i in empty %}x{% else %}{{ 'none' | upcase }}{% endfor %}",
    "{% for i in xs %}{% if i > 2 %}{% continue %}{% endif %}{{ i }}{% endfor %}",
    "{{ order.items[n].sku }}{{ order.items[h.a].sku }}{{ xs[xs.first] }}",
    "{% if empty.first %}x{% endif %}",
    "{% log nil.x %}",
    "{% for i in xs %}{% include 'fails' %}{% endfor %}",
    "{% capture c %}{% include 'fails' %}{% endcapture %}",
    "{{ false | default: 'd', allow_false: true }}{{ false | default: 'd' }}",
    "{{ xs | slice: 1, 2 | join: '-' }}{{ s | replace: 'l', 'L' | remove_first: 'L' }}",
    # Comparisons where Liquid is not Python: bools are not numbers to `==`, nil and
    # blank, strings against numbers, and a type error's position.
    "{% if true == 1 %}a{% endif %}{% if 1 == true %}b{% endif %}{% if 0 == false %}c{% endif %}"
    "{% if nil == nil %}d{% endif %}{% if missing == nil %}e{% endif %}{% if missing == blank %}"
    "f{% endif %}{% if '1' == 1 %}g{% endif %}{% if 1 == 1.0 %}h{% endif %}{% if true <= 1 %}i"
    "{% endif %}{% if 2 >= 1.5 %}j{% endif %}{% if 'b' > 'a' %}k{% endif %}{% if nil < 1 %}l"
    "{% endif %}{% if empty == empty %}m{% endif %}{% if xs contains 2 %}n{% endif %}"
    "{% if s contains nil %}o{% endif %}{% if xs == empty %}p{% endif %}{% if '' == blank %}q"
    "{% endif %}{% if false or nil %}r{% elsif 0 and '' %}s{% endif %}",
    "a\n  {% if xs < 1 %}x{% endif %}",
    "a\n  {% unless h >= 'a' %}x{% endunless %}",
    "{% liquid\n  assign v = n | plus: 1\n  if v > 3\n    echo v\n  endif\n  for i in xs\n"
    "    echo i\n    break\n  endfor\n%}|",
    "{% liquid\n  assign v = 1\n\n  echo xs | nosuch\n%}",
    "{{ 1 | plus: 2 }} {{ 3 | minus: 5 }} {{ 2 | times: 3 }} {{ true | plus: 1 }} {{ 1 | plus: true }}"
    " {{ 1 | plus: 2.5 }} {{ '2' | plus: 1 }} {{ nil | plus: 1 }} {{ 2 | times: '3' }}"
    " {{ 10000000000000000000 | times: 10000000000 }} {{ 1 | minus: nil }} {{ xs | plus: 1 }}",
]


@pytest.mark.parametrize("source", TRICKY)
def test_tricky_templates_render_as_python_liquid_renders_them(
    app: AppDir, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    for name, text in PARTIALS.items():
        app.partial(name, text)
    app.page("index", source)
    for config in (AppConfig(), SMALL_LIMITS):
        compiled, interpreted = _both(app, config, monkeypatch)
        assert compiled == interpreted


def test_autoescaped_strings_render_as_python_liquid_renders_them(
    app: AppDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.page("index", "{{ '<b>' }}{{ s | append: '<i>' }}{% assign t = '&' %}{{ t }}")
    outcomes = []
    for compiled in (True, False):
        monkeypatch.setattr(AppTemplate, "compiled", compiled)
        runtime = app.runtime()
        runtime.env.autoescape = True
        outcomes.append(_outcome(runtime))
    assert outcomes[0] == outcomes[1] == ("ok", "<b>Hello, World<i>&", [])


def test_a_job_body_and_its_partial_compile_their_hot_nodes(app: AppDir) -> None:
    """The realistic job's tags (assign with filters, for, if, output) compile
    to closures: none of them falls back to its node's own `render`."""
    app.partial(
        "work",
        "{% assign total = 0 %}{% for item in order.items %}{% if item.price > 11 %}"
        "{% assign total = total | plus: item.price %}{% endif %}{% endfor %}{{ total }}",
    )
    app.page("index", "{% include 'work' %}")
    runtime = app.runtime()
    assert runtime.render("index", PARAMS).output == "39"
    partial = runtime.loader.load_path(runtime.env, "app/views/partials/work.liquid")
    assert isinstance(partial, AppTemplate)
    renders = partial._renders
    assert renders is not None
    assert not any(hasattr(render, "__self__") for render in renders)
