"""`create_app(App)`: the ASGI application serving an app's pages (Starlette)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from liqueue.app import STATE_DIR, App
from liqueue.web.dashboard import PREFIX, dashboard_access, dashboard_mount
from liqueue.web.limits import RequestLimits
from liqueue.web.pages import PageSite
from liqueue.web.secret import secret_key
from liqueue.web.sessions import PageSessions

SESSION_COOKIE = "liqueue_session"
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
_PAGE_METHODS = frozenset(METHODS)


class PagesFirst(Starlette):
    """Starlette, handing a request its router would give the pages' route
    straight to the session middleware and the pages.

    Starlette's own stack (its two exception middlewares, the router, the
    route) took about a sixth of a small page's time in the server, and
    none of it acts on a page's request: the pages answer every failure of
    theirs (PageSite), their route takes every path and these methods.
    Anything else (the dashboard, another method, a root path, lifespan)
    goes through Starlette as before.
    """

    def __init__(self, *, pages: ASGIApp, **options: Any) -> None:
        super().__init__(**options)
        self._pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _is_page_request(scope):
            scope["app"] = self
            await self._pages(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def _is_page_request(scope: Scope) -> bool:
    """What Starlette's router would hand the catch-all `/{path:path}` route
    with a full match: no root path to strip, a path its pattern matches
    (`.` takes no newline) outside the dashboard's mount, a method it takes."""
    path: str = scope["path"]
    return (
        scope["method"] in _PAGE_METHODS
        and not scope.get("root_path")
        and not path.startswith(PREFIX + "/")
        and "\n" not in path
    )


def create_app(
    app: App | Path | str,
    *,
    limits: RequestLimits | None = None,
    secret: str | None = None,
) -> Starlette:
    """An ASGI application answering every request with the app's pages.

    Given a path, the App is opened here and closed when the server shuts
    down; given an App, its owner closes it. Sessions are signed with
    `secret`, else `$LIQUEUE_SECRET_KEY`, else a key kept in `.liqueue/`.
    """
    owned = not isinstance(app, App)
    opened = App(app) if not isinstance(app, App) else app
    site = PageSite(opened, limits or RequestLimits())

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        site.router.table()  # report route problems at start, not at the first request
        try:
            yield
        finally:
            site.queue.close()
            if owned:
                opened.close()

    access = dashboard_access(opened)
    # Before the pages' catch-all: /_liqueue/ is the dashboard's, never a page's.
    dashboard = [dashboard_mount(opened, access)] if access.enabled else []
    key = secret or secret_key(opened.root / STATE_DIR)

    def sessions(inner: ASGIApp) -> PageSessions:
        return PageSessions(inner, secret_key=key, session_cookie=SESSION_COOKIE, same_site="lax")

    web = PagesFirst(
        pages=sessions(site),
        # `site` is an ASGI endpoint: no Starlette Request or Response per page.
        routes=[*dashboard, Route("/{path:path}", site, methods=METHODS)],
        middleware=[Middleware(sessions)],
        lifespan=lifespan,
    )
    web.state.liqueue_app = opened
    return web
