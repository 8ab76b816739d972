"""PageSessions answers exactly as Starlette's SessionMiddleware does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import itsdangerous
import pytest
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import Message, Receive, Scope, Send

from liqueue.web.sessions import PageSessions

SECRET = "test-secret"
COOKIE = "liqueue_session"


def _set(session: dict[str, Any]) -> None:
    session["user"] = 7


def _set_then_clear(session: dict[str, Any]) -> None:
    session["user"] = 7
    session.clear()


def _read(session: dict[str, Any]) -> None:
    session.get("user")


def _nothing(session: dict[str, Any]) -> None:
    pass


def _inner(touch: Callable[[dict[str, Any]], None]) -> Callable[..., Any]:
    async def app(scope: Scope, _receive: Receive, send: Send) -> None:
        touch(scope["session"])
        headers = [(b"content-type", b"text/plain")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": repr(dict(scope["session"])).encode()})

    return app


def _answer(middleware: type[SessionMiddleware], touch: Any, cookies: list[bytes]) -> list[Any]:
    app = middleware(_inner(touch), secret_key=SECRET, session_cookie=COOKIE, same_site="lax")
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "query_string": b"",
        "headers": [(b"host", b"x"), *((b"cookie", c) for c in cookies)],
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return [_readable(message) for message in sent]


def _readable(message: Message) -> Message:
    """The message, with a signed cookie's value unsigned (its signature holds the second)."""
    signer = itsdangerous.TimestampSigner(SECRET)
    headers = []
    for name, value in message.get("headers", []):
        if name == b"set-cookie" and not value.startswith(f"{COOKIE}=null".encode()):
            signed, rest = value.split(b";", 1)
            payload = signer.unsign(signed.split(b"=", 1)[1])
            value = b"unsigned:" + payload + b";" + rest
        headers.append((name, value))
    return {**message, "headers": headers} if "headers" in message else message


def _cookie_of(touch: Any) -> bytes:
    answer = _answer(SessionMiddleware, touch, [])
    value = dict(answer[0]["headers"])[b"set-cookie"]
    assert value.startswith(b"unsigned:")
    signer = itsdangerous.TimestampSigner(SECRET)
    return f"{COOKIE}=".encode() + signer.sign(value.removeprefix(b"unsigned:").split(b";")[0])


TOUCHES = [_nothing, _read, _set, _set_then_clear]


@pytest.mark.parametrize("touch", TOUCHES)
@pytest.mark.parametrize(
    "cookies",
    [[], [b"other=1"], [b"a=1", b"b=2"], ["session"], [f"{COOKIE}=garbage".encode()]],
    ids=["none", "other", "two-headers", "a-session", "bad-session"],
)
def test_answers_as_starlette_does(touch: Any, cookies: list[Any]) -> None:
    sent = [_cookie_of(_set) if c == "session" else c for c in cookies]
    assert _answer(PageSessions, touch, sent) == _answer(SessionMiddleware, touch, sent)


def test_a_session_set_without_a_cookie_is_signed_and_vary_is_set() -> None:
    start = _answer(PageSessions, _set, [])[0]
    headers = dict(start["headers"])
    assert headers[b"vary"] == b"Cookie"
    assert headers[b"set-cookie"].startswith(b"unsigned:eyJ1c2VyIjogN30=; path=/; Max-Age=")
    assert headers[b"set-cookie"].endswith(b"httponly; samesite=lax")
