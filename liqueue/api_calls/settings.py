"""The `http:` section of `liqueue.yml`: where API calls may go, and how long they may take."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DEFAULT_JOB_TIMEOUT = 30.0
# A page render waits for its calls while a visitor waits for the page.
DEFAULT_PAGE_TIMEOUT = 5.0
DEFAULT_MAX_RESPONSE_BYTES = 10_000_000
DEFAULT_MAX_REDIRECTS = 5

_KNOWN = {"allow", "deny", "timeout", "page_timeout", "max_response_bytes", "max_redirects"}


@dataclass(frozen=True)
class HttpSettings:
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    job_timeout: float = DEFAULT_JOB_TIMEOUT
    page_timeout: float = DEFAULT_PAGE_TIMEOUT
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS

    @classmethod
    def parse(cls, raw: object, duration: Callable[[object], float]) -> HttpSettings:
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise ValueError("http must be a mapping (allow, deny, timeout, page_timeout, ...)")
        unknown = sorted(set(raw) - _KNOWN)
        if unknown:
            raise ValueError(
                f"http: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN))}"
            )
        settings = cls(
            allow=_hosts(raw, "allow"),
            deny=_hosts(raw, "deny"),
            job_timeout=duration(raw.get("timeout", DEFAULT_JOB_TIMEOUT)),
            page_timeout=duration(raw.get("page_timeout", DEFAULT_PAGE_TIMEOUT)),
            max_response_bytes=int(raw.get("max_response_bytes", DEFAULT_MAX_RESPONSE_BYTES)),
            max_redirects=int(raw.get("max_redirects", DEFAULT_MAX_REDIRECTS)),
        )
        if settings.job_timeout <= 0 or settings.page_timeout <= 0:
            raise ValueError("http.timeout and http.page_timeout must be more than 0")
        if settings.max_response_bytes < 1 or settings.max_redirects < 0:
            raise ValueError("http.max_response_bytes must be at least 1, max_redirects 0 or more")
        return settings


def _hosts(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"http.{key} must be a list of host names, addresses or networks")
    return tuple(v.strip().lower() for v in value)
