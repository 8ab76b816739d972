"""The baseline of bench/serve.py: a plain Starlette endpoint rendering a python-liquid
template, no liqueue. Served by uvicorn exactly as `liqueue serve` serves pages."""

from __future__ import annotations

from liquid import Environment
from serve_pages import PLAIN_PAGE
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

TEMPLATE = Environment().from_string(PLAIN_PAGE)


async def page(request: Request) -> HTMLResponse:
    return HTMLResponse(TEMPLATE.render(params=dict(request.query_params)))


app = Starlette(routes=[Route("/plain", page)])
