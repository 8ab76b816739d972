"""What a page sees of its request under `context`, and what its jobs remember of it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from liqueue.liquid.loader import EXTENSION, PAGES_DIR
from liqueue.liquid.routes import Route


@dataclass(frozen=True)
class RequestFacts:
    """The parts of an HTTP request a page may read, independent of the ASGI server."""

    method: str
    scheme: str
    host: str
    path: str
    query: str
    headers: Mapping[str, str]  # lower-case names
    client: str | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}{self.path}" + (f"?{self.query}" if self.query else "")


def page_name(route: Route) -> str:
    """`app/views/pages/orders/show.liquid` -> `orders/show`."""
    return route.path.removeprefix(PAGES_DIR + "/").removesuffix(EXTENSION)


def location(facts: RequestFacts) -> dict[str, Any]:
    return {
        "href": facts.url,
        "host": facts.host,
        "pathname": facts.path,
        "search": f"?{facts.query}" if facts.query else "",
    }


def job_location(facts: RequestFacts, route: Route, page: str | None = None) -> dict[str, Any]:
    """A queued job's `context.location`: the request that queued it (`page`:
    `page_name(route)`, if known)."""
    where = location(facts)
    return {
        **where,
        "path": facts.path,
        "template": route.path,
        "method": facts.method,
        "url": where["href"],  # the URL built once
        "page": page_name(route) if page is None else page,
    }


def platform_headers(facts: RequestFacts) -> dict[str, str]:
    """Request headers named as the platform (and Rack) names them."""
    named: dict[str, str] = {
        "REQUEST_METHOD": facts.method,
        "PATH_INFO": facts.path,
        "QUERY_STRING": facts.query,
        "SERVER_NAME": facts.host.rsplit(":", 1)[0] if facts.host else "",
        "REQUEST_URI": facts.path + (f"?{facts.query}" if facts.query else ""),
        "HTTPS": "on" if facts.scheme == "https" else "off",
    }
    if facts.client:
        named["REMOTE_ADDR"] = facts.client
    for name, value in facts.headers.items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            named[key] = value
        else:
            named[f"HTTP_{key}"] = value
    return named


def page_variable(route: Route) -> dict[str, Any]:
    return {
        "slug": route.slug,
        "metadata": route.metadata,
        "format": route.format,
        "method": route.method,
        "layout": route.layout or "",
        "path": route.path,
    }


# The keys a page's `context` gains from its request (params are added apart).
REQUEST_KEYS = ("location", "headers", "page", "session", "authenticity_token")


def request_context(
    facts: RequestFacts,
    route: Route,
    session: Mapping[str, Any],
    token: str,
    keys: Collection[str] = REQUEST_KEYS,
) -> dict[str, Any]:
    """The REQUEST_KEYS among `keys`, as the page sees them under `context`."""
    given: dict[str, Any] = {}
    if "location" in keys:
        given["location"] = {**location(facts), "path": facts.path, "template": route.path}
    if "headers" in keys:
        given["headers"] = platform_headers(facts)
    if "page" in keys:
        given["page"] = page_variable(route)
    if "session" in keys:
        given["session"] = {k: v for k, v in session.items() if not k.startswith("_")}
    if "authenticity_token" in keys:
        given["authenticity_token"] = token
    return given
