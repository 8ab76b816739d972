"""Attempts per minute as an inline SVG bar chart: no script, no library."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

WIDTH, HEIGHT, BAR = 600, 120, 10


def minutes_chart(per_minute: Sequence[dict[str, Any]]) -> str:
    top = max((m["done"] + m["failed"] for m in per_minute), default=0) or 1
    bars = []
    for i, m in enumerate(per_minute):
        x = i * BAR
        done_h = HEIGHT * m["done"] / top
        failed_h = HEIGHT * m["failed"] / top
        title = f"<title>{m['done']} done, {m['failed']} failed</title>"
        bars.append(
            f'<g>{title}<rect x="{x}" y="{HEIGHT - done_h:.1f}" width="{BAR - 1}" '
            f'height="{done_h:.1f}" fill="#2e7d32"/>'
            f'<rect x="{x}" y="{HEIGHT - done_h - failed_h:.1f}" width="{BAR - 1}" '
            f'height="{failed_h:.1f}" fill="#b00020"/></g>'
        )
    return (
        f'<svg role="img" aria-label="attempts per minute" width="{WIDTH}" height="{HEIGHT + 14}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT + 14}">{"".join(bars)}'
        f'<text x="0" y="{HEIGHT + 12}" font-size="10">-60 min</text>'
        f'<text x="{WIDTH - 24}" y="{HEIGHT + 12}" font-size="10">now</text>'
        f'<text x="2" y="10" font-size="10">{top}/min</text></svg>'
    )
