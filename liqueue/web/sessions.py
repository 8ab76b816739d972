"""Starlette's SessionMiddleware, without its work for a request that sends no session.

For every request, Starlette's middleware parses the Cookie headers into a
dict and, for every response, wraps its headers to look at the session:
together about a twentieth of a small page's time. A request none of whose
Cookie headers names the session cookie has an empty session, so only what
the page does to it can matter: this middleware gives it an empty session
and adds the same headers Starlette would (`Vary: Cookie` once the session
was touched, the signed cookie once it holds something). Any other request
is Starlette's own.
"""

from __future__ import annotations

import json
from base64 import b64encode

from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import Session, SessionMiddleware
from starlette.types import Message, Receive, Scope, Send


class PageSessions(SessionMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._may_send_session(scope):
            await super().__call__(scope, receive, send)
            return
        scope["session"] = Session()

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                session: Session = scope["session"]
                if session.accessed:
                    self._add_headers(message, session)
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _may_send_session(self, scope: Scope) -> bool:
        name = self.session_cookie.encode("latin-1")
        return any(key == b"cookie" and name in value for key, value in scope["headers"])

    def _add_headers(self, message: Message, session: Session) -> None:
        """What Starlette's send_wrapper adds for a session that began empty."""
        headers = MutableHeaders(scope=message)
        headers.add_vary_header("Cookie")
        if session.modified and session:
            data = self.signer.sign(b64encode(json.dumps(session).encode("utf-8")))
            max_age = f"Max-Age={self.max_age}; " if self.max_age is not None else ""
            headers.append(
                "Set-Cookie",
                f"{self.session_cookie}={data.decode('utf-8')}; path={self.path}; "
                f"{max_age}{self.security_flags}",
            )
