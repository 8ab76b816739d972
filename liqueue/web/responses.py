"""A page's answer as the two ASGI messages themselves.

Starlette's `Response` copies and lower-cases its headers into a list and
is awaited through one more coroutine; for a page that is most of what
sending it costs beyond the messages. `PageMessages` sends what
`Response(body, status, headers=headers)` sends: the same headers,
lower-cased, in order, and a Content-Length unless one is given or the
status has no body (1xx, 204, 304).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import Receive, Scope, Send


class PageMessages:
    __slots__ = ("body", "raw_headers", "status_code")

    def __init__(self, body: bytes, status_code: int, headers: Mapping[str, str]) -> None:
        """`headers`: names in lower case."""
        self.status_code = status_code
        self.body = body
        raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
        if "content-length" not in headers and not (status_code < 200 or status_code in (204, 304)):
            raw.append((b"content-length", str(len(body)).encode("latin-1")))
        self.raw_headers = raw

    @classmethod
    def sent_as(
        cls, body: bytes, status_code: int, raw_headers: list[tuple[bytes, bytes]]
    ) -> PageMessages:
        """With `raw_headers` as sent (no Content-Length among them) and a status with a body."""
        response = cls.__new__(cls)
        response.status_code = status_code
        response.body = body
        response.raw_headers = [*raw_headers, (b"content-length", str(len(body)).encode())]
        return response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # noqa: ARG002 (ASGI)
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        await send({"type": "http.response.body", "body": self.body})
