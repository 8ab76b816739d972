"""Pages over HTTP: the ASGI application (Starlette) and the server around it."""

from liqueue.web.application import create_app
from liqueue.web.limits import RequestLimits

__all__ = ["RequestLimits", "create_app"]
