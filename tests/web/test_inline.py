"""Where a page renders (event loop or thread pool) and whether it may read its
session's token, judged from its templates as they are on disk."""

from __future__ import annotations

import asyncio
import os
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from liqueue.app import App
from liqueue.liquid.routes import Route
from liqueue.web.application import create_app
from liqueue.web.inline import EVERY_KEY, SLOW_RENDERS, SLOW_SECONDS, InlinePages
from liqueue.web.pages import PageSite
from liqueue.web.router import PageRouter
from tests.web.conftest import write_app

PAGES = {
    "app/views/layouts/application.liquid": "<body>{{ content_for_layout }}</body>",
    "app/views/layouts/with_form.liquid": "{{ context.authenticity_token }}{{ content_for_layout }}",
    "app/views/partials/p.liquid": "partial",
    "app/views/pages/plain.liquid": "---\nlayout: ''\n---\nhello {{ params.name }}",
    "app/views/pages/queues.liquid": (
        "---\nlayout: ''\n---\n"
        "{% background source_name: 'q' %}{% include 'p' %}{% endbackground %}"
        "{{ context.location.path }} {{ context.session.user }}"
    ),
    "app/views/pages/includes.liquid": "---\nlayout: ''\n---\n{% if x %}{% include 'p' %}{% endif %}",
    "app/views/pages/renders.liquid": "---\nlayout: ''\n---\n{% render 'p' %}",
    "app/views/pages/calls.liquid": "---\nlayout: ''\n---\n{% function r = 'p' %}",
    "app/views/pages/fetches.liquid": "---\nlayout: ''\n---\n{% api_call r = 'some/call' %}",
    "app/views/pages/form.liquid": "---\nlayout: ''\n---\n{{ context.authenticity_token }}",
    "app/views/pages/whole.liquid": "---\nlayout: ''\n---\n{{ context | json }}",
    "app/views/pages/brackets.liquid": "---\nlayout: ''\n---\n{{ context[key] }}",
    "app/views/pages/laid_out.liquid": "inside",
    "app/views/pages/form_layout.liquid": "---\nlayout: with_form\n---\ninside",
    "app/views/pages/broken.liquid": "---\nlayout: ''\n---\n{% if %}",
    "app/views/pages/spaced.liquid": (
        "---\nlayout: ''\n---\n{{ context . headers.HTTP_HOST }}{{ context.\n page.slug }}"
    ),
    "app/views/pages/not_the_request.liquid": (
        "---\nlayout: ''\n---\n{{ context.params.x }}{{ context.constants.y }}{{ mycontext }}"
    ),
    "app/views/pages/token_named.liquid": (
        "---\nlayout: ''\n---\n{% assign n = 'authenticity_token' %}{{ n }}"
    ),
}


@pytest.fixture
def app(tmp_path: Path) -> App:
    return App(write_app(tmp_path / "app", {"liqueue.yml": "environment: test\n", **PAGES}))


def route(app: App, path: str) -> Route:
    found = PageRouter(app.root, app.runtime.front_matter).table().find("get", path)
    assert found is not None, path
    return found[0]


NONE: frozenset[str] = frozenset()


@pytest.mark.parametrize(
    ("path", "on_loop", "reads"),
    [
        ("/plain", True, NONE),
        # a background body is not run by the page; its text still counts for what is read
        ("/queues", True, {"location", "session"}),
        ("/includes", False, EVERY_KEY),
        ("/renders", False, EVERY_KEY),
        ("/calls", False, EVERY_KEY),
        ("/fetches", False, EVERY_KEY),
        ("/form", True, {"authenticity_token"}),
        ("/whole", True, EVERY_KEY),
        ("/brackets", True, EVERY_KEY),
        ("/laid-out", True, NONE),
        ("/form-layout", True, {"authenticity_token"}),  # the layout reads it
        ("/broken", False, EVERY_KEY),  # the thread pool's render reports the error
        ("/spaced", True, {"headers", "page"}),
        ("/not-the-request", True, NONE),  # params, constants: not the request's keys
        ("/token-named", True, {"authenticity_token"}),  # named anywhere: it may be read
    ],
)
def test_what_a_page_is_judged_to_be(
    app: App, path: str, on_loop: bool, reads: frozenset[str]
) -> None:
    assert InlinePages(app.runtime).traits(route(app, path)) == (on_loop, reads)


def test_an_edited_page_is_judged_again(app: App) -> None:
    pages = InlinePages(app.runtime)
    plain = route(app, "/plain")
    assert pages.traits(plain) == (True, NONE)
    file = app.root / plain.path
    file.write_text("---\nlayout: ''\n---\n{% include 'p' %} {{ context.authenticity_token }}")
    os.utime(file, ns=(0, 1))  # another stamp, however fast the edit
    assert pages.traits(plain) == (False, EVERY_KEY)


def test_a_page_slow_twice_in_a_row_goes_to_the_thread_pool(app: App) -> None:
    pages = InlinePages(app.runtime)
    plain = route(app, "/plain")
    pages.traits(plain)
    slow, fast = SLOW_SECONDS * 2, SLOW_SECONDS / 10
    for _ in range(SLOW_RENDERS - 1):
        pages.rendered(plain, slow)
    pages.rendered(plain, fast)  # a fast render in between: still on the loop
    for _ in range(SLOW_RENDERS - 1):
        pages.rendered(plain, slow)
    assert pages.traits(plain) == (True, NONE)
    pages.rendered(plain, slow)
    assert pages.traits(plain) == (False, NONE)


def _get(web: Starlette, path: str) -> bytes:
    """One GET through the ASGI application, on an event loop of its own."""
    body: list[bytes] = []
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"test")], "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        body.append(message.get("body", b""))

    asyncio.run(web(scope, receive, send))
    return b"".join(body)


def test_a_page_that_renders_slowly_on_the_loop_goes_to_the_thread_pool(app: App) -> None:
    slow = app.root / "app/views/pages/slow.liquid"
    # Far more than SLOW_SECONDS of CPU time on any machine.
    slow.write_text("---\nlayout: ''\n---\n{% for i in (1..300000) %}{% endfor %}done")
    web = create_app(app)
    site = web.routes[-1].endpoint  # type: ignore[attr-defined]
    assert isinstance(site, PageSite)
    assert site.inline.traits(route(app, "/slow"))[0]
    for _ in range(SLOW_RENDERS):
        assert _get(web, "/slow").strip() == b"done"
    assert not site.inline.traits(route(app, "/slow"))[0]
    assert _get(web, "/slow").strip() == b"done"  # rendered in the thread pool
