"""liqueue's render context sets what python-liquid's own would, and keeps its limits."""

from __future__ import annotations

import pytest
from liquid import Environment, RenderContext

from liqueue.errors import TemplateError
from liqueue.liquid.output import AppContext

from .liquid_apps import AppDir


def _slots(cls: type) -> set[str]:
    return {slot for klass in cls.__mro__ for slot in getattr(klass, "__slots__", ())}


def test_every_slot_of_python_liquids_context_is_set() -> None:
    # AppContext.__init__ writes python-liquid's fields itself: a field a
    # later python-liquid adds must not go unset.
    template = Environment().from_string("x")
    plain = RenderContext(template, globals={"a": 1})
    ours = AppContext(template, globals={"a": 1})
    for slot in _slots(RenderContext):
        assert hasattr(ours, slot), slot
        if slot not in ("scope", "tag_namespace"):
            assert getattr(ours, slot) == getattr(plain, slot), slot
    assert ours.tag_namespace.keys() == plain.tag_namespace.keys()
    assert list(ours.scope.maps) == [{}, {"a": 1}, *list(plain.scope._maps)[2:]]


def test_a_rendered_partial_gets_its_variables_and_the_context(app: AppDir) -> None:
    app.partial("inner", "{{ x }}:{{ context.environment }}")
    app.page(
        "index", "{% render 'inner', x: 1 %}{% assign two = 2 %}{% render 'inner' with two as x %}"
    )
    assert app.runtime().render("index").output == "1:development2:development"


def test_an_include_of_itself_stops_at_the_depth_limit_with_its_place(app: AppDir) -> None:
    app.partial("again", "x{% include 'again' %}")
    app.page("index", "{% include 'again' %}")
    with pytest.raises(TemplateError) as caught:
        app.runtime().render("index")
    assert str(caught.value) == (
        "app/views/partials/again.liquid:1:5: "
        "maximum context depth reached, possible recursive include"
    )
