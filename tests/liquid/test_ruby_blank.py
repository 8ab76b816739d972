"""`== blank` as Ruby Liquid has it: nil, false and undefined values are blank."""

from __future__ import annotations

from pathlib import Path

import pytest

from liqueue.config import AppConfig
from liqueue.liquid.environment import build_environment


@pytest.mark.parametrize(
    ("source", "data", "expected"),
    [
        ("{% if x == blank %}T{% else %}F{% endif %}", {}, "T"),
        ("{% if x == blank %}T{% else %}F{% endif %}", {"x": None}, "T"),
        ("{% if x == blank %}T{% else %}F{% endif %}", {"x": False}, "T"),
        ("{% if x == blank %}T{% else %}F{% endif %}", {"x": "  "}, "T"),
        ("{% if x == blank %}T{% else %}F{% endif %}", {"x": 0}, "F"),
        ("{% if x == blank %}T{% else %}F{% endif %}", {"x": "a"}, "F"),
        ("{% if blank == x %}T{% else %}F{% endif %}", {}, "T"),
        ("{% if x != blank %}T{% else %}F{% endif %}", {}, "F"),
        ("{% if x.order_id == blank %}T{% else %}F{% endif %}", {"x": {}}, "T"),
        ("{% case x %}{% when blank %}T{% else %}F{% endcase %}", {}, "T"),
        ("{% if x == nil %}T{% else %}F{% endif %}", {"x": False}, "F"),
    ],
)
def test_blank(tmp_path: Path, source: str, data: dict[str, object], expected: str) -> None:
    (tmp_path / "app").mkdir()
    env = build_environment(tmp_path, AppConfig())
    assert env.from_string(source).render(**data) == expected
