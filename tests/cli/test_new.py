"""`liqueue new`: a small application, created only where nothing would be overwritten."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run

EXPECTED = [
    "app/views/pages/index.liquid",
    "app/views/partials/emails/welcome.liquid",
    "app/lib/consumers/user.signed_up/send_welcome.liquid",
    "app/lib/events/user.signed_up.liquid",
    "liqueue.yml",
    ".gitignore",
    "README.md",
]


def test_new_creates_the_app(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "fresh"
    result = run("new", target)
    assert result.exit_code == 0, result.output
    for relative in EXPECTED:
        assert (target / relative).is_file(), relative
        assert f"created {relative}" in result.output
    assert "__pycache__" not in result.output


def test_consumer_has_front_matter(run: Run, tmp_path: Path) -> None:
    run("new", tmp_path / "a")
    text = (tmp_path / "a/app/lib/consumers/user.signed_up/send_welcome.liquid").read_text()
    assert text.startswith("---\n")
    assert "priority: high" in text.split("---")[1]


def test_settings_are_commented_defaults(run: Run, tmp_path: Path) -> None:
    run("new", tmp_path / "a")
    lines = (tmp_path / "a/liqueue.yml").read_text().splitlines()
    assert "# retry_backoff: [5s, 30s, 2m, 10m]" in lines
    assert all(not line or line.startswith("#") for line in lines)


def test_new_fills_an_empty_directory(run: Run, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run("new", tmp_path / "empty").exit_code == 0
    assert (tmp_path / "empty/app/views/pages/index.liquid").exists()


def test_new_refuses_a_non_empty_directory(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = run("new", target)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {target} is not empty; choose a new or empty directory"
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_new_refuses_a_file(run: Run, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = run("new", tmp_path / "file")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
