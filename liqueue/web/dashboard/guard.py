"""Every dashboard endpoint goes through `guarded`: identity, role, CSRF, errors as JSON or text."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from liqueue.errors import LiqueueError, NotFound
from liqueue.web import csrf
from liqueue.web.dashboard.access import REALM, Access, Identity, Role
from liqueue.web.dashboard.views import BadRequest

Endpoint = Callable[[Request, Identity], Awaitable[Response]]


class JSONOut(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=str).encode("utf-8")


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONOut({"error": message}, status_code=status, headers=headers)


def guarded(
    access: Access, needed: Role, endpoint: Endpoint
) -> Callable[[Request], Awaitable[Response]]:
    async def handle(request: Request) -> Response:
        client = request.client.host if request.client else None
        identity = access.identify(request.headers.get("authorization"), client)
        if identity is None:
            if access.open:
                return error(403, "the dashboard has no credential set: it answers loopback only")
            return error(
                401, "credentials required", {"WWW-Authenticate": f'Basic realm="{REALM}"'}
            )
        if not identity.role.allows(needed):
            return error(403, f"{identity.who} may only read: this needs the admin role")
        if request.method == "POST":
            problem = await _csrf_problem(request)
            if problem:
                return error(403, problem)
        try:
            return await endpoint(request, identity)
        except BadRequest as err:
            return error(400, str(err))
        except NotFound as err:
            return error(404, str(err))
        except LiqueueError as err:
            return error(409, str(err))

    return handle


async def _csrf_problem(request: Request) -> str | None:
    content_type = request.headers.get("content-type", "")
    sent: object = request.headers.get(csrf.HEADER)
    if sent is None and not csrf.is_json(content_type):
        form = await request.form()
        sent = form.get(csrf.PARAM)
    return csrf.token_problem("POST", content_type, request.session, sent)


async def body_params(request: Request) -> dict[str, Any]:
    """A POST's parameters, from JSON or a form (lists kept for `ids`)."""
    if csrf.is_json(request.headers.get("content-type", "")):
        try:
            data = await request.json()
        except ValueError:
            raise BadRequest("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise BadRequest("the body must be a JSON object")
        return data
    form = await request.form()
    params: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    params["ids"] = [v for v in form.getlist("ids") if isinstance(v, str)]
    return params
