"""Finding templates, front matter, and the Runtime's small API."""

from __future__ import annotations

import pytest

from liqueue.config import AppConfig
from liqueue.errors import Location, NotFound, TemplateError

from .liquid_apps import AppDir


def test_partials_are_searched_in_views_partials_then_lib(app: AppDir) -> None:
    app.write("app/lib/shared.liquid", "lib")
    app.write("app/lib/only_lib.liquid", "only lib")
    app.partial("shared", "partials")
    app.page("index", "{% include 'shared' %}|{% render 'only_lib' %}")
    assert app.runtime().render("index").output == "partials|only lib"


def test_names_with_dots_and_explicit_extension(app: AppDir) -> None:
    app.write("app/lib/events/order.created.liquid", "schema")
    app.page(
        "index", "{% include 'events/order.created' %}|{% include 'events/order.created.liquid' %}"
    )
    assert app.runtime().render("index").output == "schema|schema"


def test_include_and_render_with_arguments_and_with(app: AppDir) -> None:
    app.partial("product", "{{ product.title }}-{{ extra }}-{{ shared }}")
    app.page(
        "index",
        "{% assign shared = 's' %}{% include 'product' with p, extra: 'e' %}|"
        "{% render 'product' with p, extra: 'e' %}",
    )
    assert app.runtime().render("index", {"p": {"title": "T"}}).output == "T-e-s|T-e-"


def test_front_matter_is_blanked_and_retrievable(app: AppDir) -> None:
    app.page("index", "---\ntitle: Home\nlayout: false\n---\n{{ title }}{% if %}")
    runtime = app.runtime()
    assert runtime.front_matter("app/views/pages/index.liquid") == {
        "title": "Home",
        "layout": False,
    }
    with pytest.raises(TemplateError) as caught:
        runtime.render("index")
    # Front matter is metadata, not a variable; lines count from the file's start.
    assert caught.value.location == Location("app/views/pages/index.liquid", 5, 15)


def test_front_matter_renders_nothing(app: AppDir) -> None:
    app.page("index", "---\ntitle: Home\n---\nbody {{ title }}")
    assert app.runtime().render("index").output == "\n\n\nbody "


def test_bad_front_matter_names_file_and_line(app: AppDir) -> None:
    app.write("app/lib/consumers/a.b/x.liquid", "---\npriority: high\nmax_attempts: [\n---\nbody")
    with pytest.raises(TemplateError) as caught:
        app.runtime().front_matter("app/lib/consumers/a.b/x.liquid")
    assert caught.value.location is not None
    assert caught.value.location.path == "app/lib/consumers/a.b/x.liquid"
    assert caught.value.location.line == 4
    assert "invalid YAML front matter" in caught.value.message


def test_front_matter_must_be_a_mapping_and_closed(app: AppDir) -> None:
    app.partial("list", "---\n- a\n---\n")
    app.partial("open", "---\na: 1\n")
    runtime = app.runtime()
    with pytest.raises(TemplateError, match="must be a mapping"):
        runtime.front_matter("app/views/partials/list.liquid")
    with pytest.raises(TemplateError, match="never closed") as caught:
        runtime.front_matter("app/views/partials/open.liquid")
    assert caught.value.location == Location("app/views/partials/open.liquid", 1, 1)


def test_render_resolves_pages_partials_and_paths(app: AppDir) -> None:
    app.page("orders/show", "page")
    app.page("index", "home")
    app.partial("widget", "partial")
    app.write("app/views/layouts/main.liquid", "layout")
    runtime = app.runtime()
    assert runtime.render("orders/show").output == "page"
    assert runtime.render("index").output == "home"
    assert runtime.render("widget").output == "partial"
    assert runtime.render("app/views/layouts/main.liquid").output == "layout"


def test_render_not_found_names_every_place_looked(app: AppDir) -> None:
    with pytest.raises(NotFound) as caught:
        app.runtime().render("orders/missing")
    message = str(caught.value)
    for place in (
        "app/views/pages/orders/missing.liquid",
        "app/views/partials/orders/missing.liquid",
        "app/lib/orders/missing.liquid",
    ):
        assert place in message
    with pytest.raises(NotFound, match="not a valid template name"):
        app.runtime().render("../etc/passwd")


def test_params_are_variables_and_params_and_context(app: AppDir) -> None:
    app.page(
        "orders/show",
        "{{ id }} {{ params.id }} {{ context.params.id }} {{ context.location.path }} "
        "{{ context.constants.SHOP }} {{ context.environment }}",
    )
    config = AppConfig(constants={"SHOP": "acme"}, environment="production")
    runtime = app.runtime(config)
    assert runtime.render("orders/show", {"id": 7}).output == ("7 7 7 /orders/show acme production")
    assert runtime.render("orders/show", {"id": 7}, request_path="/o/7").output.endswith(
        "/o/7 acme production"
    )


def test_render_partials_do_not_see_page_variables_but_see_context(app: AppDir) -> None:
    app.partial("isolated", "[{{ secret }}|{{ context.environment }}]")
    app.page("index", "{% render 'isolated' %}")
    assert app.runtime().render("index", {"secret": "s"}).output == "[|development]"


def test_edited_templates_are_reloaded(app: AppDir) -> None:
    app.page("index", "one")
    runtime = app.runtime()
    assert runtime.render("index").output == "one"
    app.page("index", "two, longer")
    assert runtime.render("index").output == "two, longer"


def test_list_templates(app: AppDir) -> None:
    app.write("app/lib/consumers/order.created/b.liquid", "")
    app.write("app/lib/consumers/order.created/a.liquid", "")
    app.write("app/lib/consumers/order.created/notes.txt", "")
    app.write("app/lib/consumers/order.created/deep/c.liquid", "")
    runtime = app.runtime()
    assert runtime.list_templates("app/lib/consumers/order.created") == [
        "app/lib/consumers/order.created/a.liquid",
        "app/lib/consumers/order.created/b.liquid",
    ]
    assert len(runtime.list_templates("app/lib/consumers", recursive=True)) == 3
    assert runtime.list_templates("app/lib/consumers/none") == []
