"""The dashboard on its own (`liqueue dashboard`): /_liqueue/ and nothing of the app's pages."""

from __future__ import annotations

import os

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from liqueue.app import DATABASE_URL_ENV, STATE_DIR, App
from liqueue.web.dashboard import PREFIX, dashboard_access, dashboard_mount
from liqueue.web.secret import secret_key
from liqueue.web.sessions import PageSessions

APP_ENV = "LIQUEUE_DASHBOARD_APP"
SESSION_COOKIE = "liqueue_dashboard_session"


def create_dashboard_app(app: App) -> Starlette:
    async def home(_: Request) -> Response:
        return RedirectResponse(PREFIX + "/", 307)

    return Starlette(
        routes=[Route("/", home), dashboard_mount(app, dashboard_access(app))],
        middleware=[
            Middleware(
                PageSessions,
                secret_key=secret_key(app.root / STATE_DIR),
                session_cookie=SESSION_COOKIE,
                same_site="lax",
            )
        ],
    )


def from_environment() -> Starlette:
    root = os.environ.get(APP_ENV)
    if not root:
        raise RuntimeError(f"{APP_ENV} names no application directory")
    return create_dashboard_app(App(root))


def serve_dashboard(app: App, *, host: str, port: int) -> None:
    dashboard_access(app).check_bind(host)
    os.environ[APP_ENV] = str(app.root)
    os.environ[DATABASE_URL_ENV] = app.database_url
    app.store.migrate()
    uvicorn.run(
        "liqueue.web.dashboard.standalone:from_environment",
        factory=True, host=host, port=port, log_level="info",
    )  # fmt: skip
