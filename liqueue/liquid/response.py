"""What a page's tags ask of its HTTP response: status, headers, redirect, named blocks.

Filled while a page renders (`redirect_to`, `response_status`,
`response_headers`, `content_for`) and read by whoever answers the request;
a job's render fills it too, and nobody reads it there.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageResponse:
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    redirect_to: str | None = None
    redirect_status: int = 302
    blocks: dict[str, str] = field(default_factory=dict)  # content_for name -> text
