"""`create_app`'s application: a page's request skips Starlette's stack and is
answered as Starlette would have answered it; every other request is Starlette's."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from liqueue.app import App
from liqueue.store import JobQuery
from liqueue.web.application import PagesFirst, create_app
from liqueue.web.pages import PageSite
from tests.web.conftest import write_app

PAGES = {
    "liqueue.yml": "environment: production\n",
    "app/views/pages/plain.liquid": "---\nlayout: ''\n---\nhello {{ params.name }}",
    "app/views/pages/queues.liquid": (
        "---\nlayout: ''\n---\n{% background source_name: 'q' %}{% log 'x' %}{% endbackground %}"
        "{{ context.location.pathname }} {{ context.session | json }}"
    ),
    "app/views/pages/broken.liquid": "---\nlayout: ''\n---\n{{ 'x' | no_such_filter }}",
}

Answer = tuple[int, dict[str, str], bytes]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    with App(write_app(tmp_path / "app", PAGES)) as opened:
        opened.store.migrate()
        yield opened


@pytest.fixture
def web(app: App) -> PagesFirst:
    built = create_app(app, secret="s" * 32)
    assert isinstance(built, PagesFirst)
    return built


def _scope(method: str, path: str, **more: Any) -> dict[str, Any]:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"name=x",
        "root_path": "", "headers": [(b"host", b"test")], "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80), **more,
    }  # fmt: skip


def _call(web: Any, scope: dict[str, Any]) -> Answer:
    """One request through an ASGI callable, on an event loop of its own."""
    messages: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        messages.append(message)

    asyncio.run(web(scope, receive, send))
    start, *bodies = messages
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, b"".join(m.get("body", b"") for m in bodies)


def _through_starlette(web: PagesFirst, scope: dict[str, Any]) -> Answer:
    return _call(lambda *a: Starlette.__call__(web, *a), scope)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/plain"), ("HEAD", "/plain"), ("GET", "/plain/"), ("GET", "/nowhere"),
     ("POST", "/plain"), ("DELETE", "/queues"), ("GET", "/broken")],
)  # fmt: skip
def test_a_page_is_answered_as_through_starlettes_stack(
    web: PagesFirst, method: str, path: str
) -> None:
    fast = _scope(method, path)
    answer = _call(web, fast)
    assert "router" not in fast  # Starlette's router never saw it
    slow = _scope(method, path)
    assert _through_starlette(web, slow) == answer
    assert "router" in slow


def test_the_jobs_of_a_page_are_queued_with_its_location(web: PagesFirst, app: App) -> None:
    status, _, body = _call(web, _scope("GET", "/queues"))
    assert (status, body.strip()) == (200, b"/queues {}")
    [job] = app.store.list_jobs(JobQuery())
    assert job.source_name == "q"
    assert job.context["location"]["pathname"] == "/queues"


@pytest.mark.parametrize(
    "scope",
    [
        _scope("OPTIONS", "/plain"),  # no page route takes it: Starlette's 405
        _scope("GET", "/pla\nin"),  # the pages' route pattern does not match it: 404
        _scope("GET", "/app/plain", root_path="/app"),  # the router strips it
        _scope("GET", "/_liqueue/healthz"),  # the dashboard's mount
    ],
    ids=["method", "newline", "root-path", "dashboard"],
)
def test_any_other_request_goes_through_starlette(web: PagesFirst, scope: dict[str, Any]) -> None:
    again = dict(scope)
    answer = _call(web, scope)
    assert "router" in scope
    assert _through_starlette(web, again) == answer


def test_options_is_refused_as_starlette_refuses_it(web: PagesFirst) -> None:
    status, headers, body = _call(web, _scope("OPTIONS", "/plain"))
    assert (status, body) == (405, b"Method Not Allowed")
    assert "GET" in headers["allow"]


def test_a_failure_outside_the_page_answers_500_and_is_raised(
    web: PagesFirst, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = web.routes[-1].endpoint  # type: ignore[attr-defined]
    assert isinstance(site, PageSite)

    async def fails(*_: object) -> None:
        raise RuntimeError("not a page's failure")

    monkeypatch.setattr(site, "handle", fails)
    messages: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        messages.append(message)

    with pytest.raises(RuntimeError, match="not a page's failure"):
        asyncio.run(web(_scope("GET", "/plain"), receive, send))
    assert messages[0]["status"] == 500
    assert messages[1]["body"] == b"Internal Server Error"
