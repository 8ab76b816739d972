"""docs/reference.md names every tag and filter liqueue registers, and its examples parse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from liqueue.events.consumers import FRONT_MATTER_KEYS
from liqueue.liquid.filters import PLATFORM_FILTERS
from liqueue.liquid.tags import PLATFORM_TAGS
from liqueue.scaffold import create_app

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference.md"


def headings() -> str:
    return "\n".join(re.findall(r"^### .+$", REFERENCE.read_text(), re.M))


@pytest.mark.parametrize("name", sorted(tag.name for tag in PLATFORM_TAGS))
def test_every_tag_has_a_heading(name: str) -> None:
    assert f"`{name}`" in headings(), f"docs/reference.md has no heading for the tag {name}"


@pytest.mark.parametrize("name", sorted(PLATFORM_FILTERS))
def test_every_filter_has_a_heading(name: str) -> None:
    assert f"`{name}`" in headings(), f"docs/reference.md has no heading for the filter {name}"


@pytest.mark.parametrize("key", FRONT_MATTER_KEYS)
def test_every_consumer_front_matter_key_is_described(key: str) -> None:
    section = REFERENCE.read_text().split("## Consumers and their front matter")[1]
    assert f"| `{key}`" in section


def test_every_example_parses(tmp_path: Path) -> None:
    from liqueue.app import App

    create_app(tmp_path / "app")
    with App(tmp_path / "app") as app:
        env = app.runtime.env
        examples = re.findall(r"```liquid\n(.*?)```", REFERENCE.read_text(), re.S)
        assert len(examples) > len(PLATFORM_TAGS)
        for example in examples:
            body = re.sub(r"\A---\n.*?\n---\n", "", example, flags=re.S)
            env.from_string(body)  # raises, naming the problem, if it does not parse
