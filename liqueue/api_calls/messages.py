"""What an API call sends and what comes back: plain values that sending, fakes and tags share."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

_RETRY_AFTER_STATUSES = {429, 503}
_MAX_RETRY_AFTER = 86400.0


@dataclass(frozen=True)
class ApiRequest:
    name: str  # the definition, `payments/charge`
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    timeout: float = 30.0
    data: Any = None  # what the template sent it with, for fakes and their assertions


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names

    @property
    def json(self) -> Any:
        """The parsed body, or None when it is not JSON."""
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def to_liquid(self) -> dict[str, Any]:
        """`response` as templates see it: status, body, headers, and json for a JSON body."""
        value: dict[str, Any] = {"status": self.status, "body": self.body, "headers": self.headers}
        parsed = self.json
        if parsed is not None:
            value["json"] = parsed
        return value

    def retry_after(self, now: float) -> float | None:
        """The time (epoch seconds) a 429 or 503 asks the caller to wait for."""
        if self.status not in _RETRY_AFTER_STATUSES:
            return None
        text = self.headers.get("retry-after", "").strip()
        if not text:
            return None
        try:
            seconds = float(text)
        except ValueError:
            try:
                seconds = parsedate_to_datetime(text).timestamp() - now
            except (TypeError, ValueError, IndexError):
                return None
        if seconds != seconds:  # NaN
            return None
        return now + min(max(seconds, 0.0), _MAX_RETRY_AFTER)
