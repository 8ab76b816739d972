"""500 pages: the error with its source excerpt for a developer, a plain page elsewhere."""

from __future__ import annotations

from html import escape
from pathlib import Path

from liqueue.errors import Location

EXCERPT_LINES = 3  # shown before and after the failing line

PLAIN = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    500: "Internal Server Error",
}


def plain_page(status: int, detail: str | None = None) -> str:
    title = f"{status} {PLAIN.get(status, 'Error')}"
    body = f"<p>{escape(detail)}</p>" if detail else ""
    return (
        f'<!doctype html>\n<html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1>{body}</body></html>\n"
    )


def development_page(root: Path, message: str, where: Location | None, request_line: str) -> str:
    """The template error as a developer needs it: `path:line:col`, message, excerpt."""
    place = str(where) if where else "(no location)"
    excerpt = _excerpt(root, where) if where and where.line else ""
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8"><title>500 template error</title>'
        "<style>body{font-family:sans-serif;margin:2em}pre{background:#f6f6f6;padding:1em}"
        ".here{background:#fdd;font-weight:bold}</style></head><body>"
        f"<h1>500 template error</h1><p><code>{escape(place)}</code></p>"
        f'<p class="message">{escape(message)}</p>{excerpt}'
        f"<p>Request: <code>{escape(request_line)}</code></p>"
        "<p>Shown because liqueue.yml says <code>environment: development</code> "
        "and the request came from this machine.</p>"
        "</body></html>\n"
    )


def _excerpt(root: Path, where: Location) -> str:
    try:
        lines = (root / where.path).read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return ""
    first = max(where.line - EXCERPT_LINES, 1)
    last = min(where.line + EXCERPT_LINES, len(lines))
    rows = []
    for number in range(first, last + 1):
        text = escape(lines[number - 1].rstrip("\r"))
        row = f"{number:>5} | {text}"
        if number == where.line:
            row = f'<span class="here">{row}</span>'
            if where.column:
                rows.append(row)
                rows.append(" " * (8 + where.column - 1) + "^")
                continue
        rows.append(row)
    return '<pre class="excerpt">' + "\n".join(rows) + "</pre>"
