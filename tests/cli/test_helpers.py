"""The small formatting helpers the commands share."""

from __future__ import annotations

import click
import pytest

from liqueue.cli._common import short_ids, table, when
from liqueue.cli.render import parse_param
from liqueue.store.url import redact


def parse(*values: str) -> dict[str, object]:
    command = click.Command("render")
    return parse_param(click.Context(command), click.Option(["--param"]), values)


def test_params_are_json_when_they_parse() -> None:
    assert parse("user_id=5", "ratio=0.5", "ok=true", "none=null") == {
        "user_id": 5, "ratio": 0.5, "ok": True, "none": None,
    }  # fmt: skip
    assert parse('order={"id": 7}', "ids=[1,2]") == {"order": {"id": 7}, "ids": [1, 2]}


def test_params_stay_text_otherwise() -> None:
    assert parse("email=ann@example.com", 'quoted="5"', "empty=", "eq=a=b") == {
        "email": "ann@example.com", "quoted": "5", "empty": "", "eq": "a=b",
    }  # fmt: skip


def test_bad_param() -> None:
    with pytest.raises(click.BadParameter, match="expected KEY=VALUE"):
        parse("=5")


@pytest.mark.parametrize("raw", ["{bad", "[1, 2", " {'id': 7}"])
def test_an_object_or_list_that_is_not_json_is_an_error_not_text(raw: str) -> None:
    with pytest.raises(click.BadParameter, match=r"^order: not valid JSON: .* line 1 column"):
        parse(f"order={raw}")
    assert parse('order="{bad"') == {"order": "{bad"}  # quoted, it is the text


def test_short_ids_are_unique_and_at_least_18() -> None:
    ids = ["01a2224d-9012-7dc2-97d7-6b8e338baea5", "01a2224d-9012-7dc2-97d8-6b8e338baea5"]
    assert short_ids(ids) == ["01a2224d-9012-7dc2-97d7", "01a2224d-9012-7dc2-97d8"]
    assert short_ids(ids[:1]) == ["01a2224d-9012-7dc2"]
    assert short_ids([]) == []


def test_table_aligns_and_keeps_one_line_per_row() -> None:
    text = table(["A", "LONG HEADER", "LAST"], [["x", None, "two\nlines"], ["yyyy", 3, ""]])
    assert text.splitlines() == [
        "A     LONG HEADER  LAST",
        "x     -            two lines",
        "yyyy  3",
    ]


def test_when() -> None:
    assert when(None, 0) == "-"
    assert when(1_800_000_090.0, 1_800_000_000.0) == "2027-01-15 08:01:30 (in 1m)"
    assert when(1_800_000_000.0, 1_800_007_300.0).endswith("(2h ago)")
    assert when(1_800_000_000.0, 1_800_000_000.4).endswith("(now)")


def test_redact() -> None:
    assert redact("postgresql://app:s3cret@db/shop") == "postgresql://app:***@db/shop"
    assert redact("sqlite:///tmp/x.db") == "sqlite:///tmp/x.db"
