"""A page's `PageMessages` sends what Starlette's `Response` would have sent."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.responses import Response

from liqueue.web.responses import PageMessages


def _sent(response: Any) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    asyncio.run(response({"type": "http"}, receive, send))
    return messages


@pytest.mark.parametrize("status", [101, 200, 201, 204, 302, 304, 404, 500])
@pytest.mark.parametrize("body", [b"", b"caf\xc3\xa9"])
@pytest.mark.parametrize(
    "headers",
    [
        {"content-type": "text/html; charset=utf-8", "x-content-type-options": "nosniff"},
        {"content-type": "application/json; charset=utf-8", "content-length": "3"},
        {"location": "/caf\u00e9", "x-a": "1"},
    ],
)
def test_the_messages_are_starlettes(status: int, body: bytes, headers: dict[str, str]) -> None:
    assert _sent(PageMessages(body, status, headers)) == _sent(Response(body, status, headers))


@pytest.mark.parametrize("body", [b"", b"caf\xc3\xa9"])
def test_headers_worked_out_once_send_the_same(body: bytes) -> None:
    headers = {"content-type": "text/html; charset=utf-8", "x-from-matter": "m"}
    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    assert _sent(PageMessages.sent_as(body, 200, raw)) == _sent(Response(body, 200, headers))
