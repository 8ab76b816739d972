"""The dashboard, its JSON API, /metrics and /healthz, mounted at /_liqueue/ (see docs/api.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from liqueue.web.dashboard.access import Access, Role
from liqueue.web.dashboard.api import api_routes
from liqueue.web.dashboard.guard import guarded
from liqueue.web.dashboard.metrics import healthz, metrics_endpoint
from liqueue.web.dashboard.pages import page_routes

if TYPE_CHECKING:
    from liqueue.app import App

PREFIX = "/_liqueue"


def dashboard_access(app: App) -> Access:
    return Access.from_settings(app.config.dashboard)


def dashboard_mount(app: App, access: Access | None = None) -> Mount:
    """Everything under /_liqueue/: pages, /api/, /metrics, /healthz, /static/."""
    access = access or dashboard_access(app)

    async def health(_: Request) -> Response:
        return await healthz(app)

    static = StaticFiles(packages=[("liqueue.web.dashboard", "static")])
    routes: list[BaseRoute] = [
        *api_routes(app, access),
        Route("/metrics", guarded(access, Role.READ, metrics_endpoint(app))),
        Route("/healthz", health),
        Mount("/static", static, name="dashboard-static"),
        *page_routes(app, access, PREFIX),
    ]
    return Mount(PREFIX, routes=routes)
