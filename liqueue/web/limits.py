"""Bounds on what one request may send, so a client cannot take the server."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestLimits:
    body_bytes: int = 1_000_000  # larger bodies are answered 413
    params: int = 1_000  # more parameters: 400
    depth: int = 32  # deeper a[b][c]... or JSON nesting: 400


class RequestRejected(Exception):
    """A request refused before its page renders: a status and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
