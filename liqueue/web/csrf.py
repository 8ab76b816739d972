"""Authenticity tokens: a form that changes something posts back the session's token.

Browsers send forms (urlencoded, multipart, text/plain) to any site without
asking, so those need the token; a JSON body can only be sent cross-site
after a CORS preflight this server never grants, so JSON needs none, but it
is read as JSON only with a JSON content type.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import MutableMapping
from typing import Any

SESSION_KEY = "_csrf_token"
PARAM = "authenticity_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session_token(session: MutableMapping[str, Any]) -> str:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def token_problem(
    method: str, content_type: str, session: MutableMapping[str, Any], sent: object
) -> str | None:
    """Why this request may not proceed (None: it may)."""
    if method in SAFE_METHODS or is_json(content_type):
        return None
    expected = session.get(SESSION_KEY)
    if not isinstance(sent, str) or not sent:
        return (
            f"{method} without an authenticity token: forms must post back "
            f"context.authenticity_token as '{PARAM}' (or send the {HEADER} header)"
        )
    if not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        return "the authenticity token does not match this session (reload the form and retry)"
    return None
