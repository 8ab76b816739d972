"""What a page is told of its request matches what Starlette's `Request` says of it."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.requests import Request

from liqueue.web.pages import _facts

PATHS = [
    "/",
    "/orders/7",
    "/orders/7/",
    "//double",
    "/a?b",
    "/a#b",
    "/a\\b",
    "/tab\there",
    "/new\nline",
    "/space here",
    "/caf\u00e9",
    "/%2F/x",
    "/a:b@c;d=e",
    "",
]
QUERIES = [b"", b"a=1&b=2", b"a=1#frag", b"q=caf%C3%A9", b"q=\xc3\xa9", b"a=%20b", b"a=1\tb", b"?a"]
HOSTS: list[bytes | None] = [b"example.com:8000", b"bad/host", None, b""]


def _request(path: str, query: bytes, host: bytes | None, scheme: str = "http") -> Request:
    headers = [(b"user-agent", b"test"), (b"x-twice", b"1"), (b"x-twice", b"2")]
    if host is not None:
        headers.insert(0, (b"host", host))
    scope: dict[str, Any] = {
        "type": "http",
        "method": "get",
        "scheme": scheme,
        "path": path,
        "query_string": query,
        "headers": headers,
        "client": ("10.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    return Request(scope)


def _as_starlette_says(request: Request) -> tuple[object, ...]:
    url = request.url
    headers = dict(request.headers)
    return (
        request.method.upper(),
        url.scheme,
        headers.get("host", url.netloc),
        url.path.rstrip("/") or "/",
        url.query,
        headers,
        request.client.host if request.client else None,
    )


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("path", PATHS)
def test_facts_are_what_starlette_says(path: str, query: bytes, host: bytes | None) -> None:
    facts = _facts(_request(path, query, host).scope)
    told = (
        facts.method,
        facts.scheme,
        facts.host,
        facts.path,
        facts.query,
        dict(facts.headers),
        facts.client,
    )
    assert told == _as_starlette_says(_request(path, query, host))


@pytest.mark.parametrize("scheme", ["https", "HTTP", "ws"])
def test_other_schemes_are_what_starlette_says(scheme: str) -> None:
    facts = _facts(_request("/x", b"a=1", b"example.com", scheme).scope)
    expected = _as_starlette_says(_request("/x", b"a=1", b"example.com", scheme))
    assert (facts.scheme, facts.host, facts.path, facts.query) == (
        expected[1],
        expected[2],
        expected[3],
        expected[4],
    )


def test_a_request_without_a_client_has_none() -> None:
    request = _request("/x", b"", b"h")
    del request.scope["client"]
    assert _facts(request.scope).client is None
