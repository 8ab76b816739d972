"""`create_app(App)`: the ASGI application serving an app's pages (Starlette)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from liqueue.app import STATE_DIR, App
from liqueue.web.dashboard import dashboard_access, dashboard_mount
from liqueue.web.limits import RequestLimits
from liqueue.web.pages import PageSite
from liqueue.web.secret import secret_key
from liqueue.web.sessions import PageSessions

SESSION_COOKIE = "liqueue_session"
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


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
    web = Starlette(
        # `site` is an ASGI endpoint: no Starlette Request or Response per page.
        routes=[*dashboard, Route("/{path:path}", site, methods=METHODS)],
        middleware=[
            Middleware(
                PageSessions,
                secret_key=secret or secret_key(opened.root / STATE_DIR),
                session_cookie=SESSION_COOKIE,
                same_site="lax",
            )
        ],
        lifespan=lifespan,
    )
    web.state.liqueue_app = opened
    return web
