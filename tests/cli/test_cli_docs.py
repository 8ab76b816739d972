"""docs/cli.md is what the commands say about themselves today."""

from __future__ import annotations

from pathlib import Path

from liqueue.cli.reference import markdown
from tests.cli.test_help import COMMANDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_docs_cli_md_is_current() -> None:
    assert DOC.exists(), "run scripts/gen-cli-docs"
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/cli.md is stale: run scripts/gen-cli-docs"
    )


def test_every_command_has_a_section() -> None:
    text = markdown()
    for command in COMMANDS:
        assert f"## `liqueue {' '.join(command)}`" in text
    assert "Usage: liqueue logs [OPTIONS] [APP]" in text
