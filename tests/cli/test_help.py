"""Every command explains itself, with examples."""

from __future__ import annotations

import click
import pytest

from liqueue.cli import cli
from tests.cli.conftest import Run

COMMANDS = [
    ["new"], ["render"], ["check"], ["worker"], ["migrate"], ["logs"], ["stats"], ["trigger"],
    ["jobs"], ["jobs", "list"], ["jobs", "show"], ["jobs", "retry"], ["jobs", "cancel"],
    ["jobs", "delete"], ["events"], ["events", "list"], ["events", "show"],
    ["events", "republish"], ["demo"], ["serve"], ["dashboard"], ["pause"], ["resume"],
    ["schedules"],
]  # fmt: skip


def test_the_group_lists_every_command(run: Run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in ["new", "render", "check", "worker", "migrate", "logs", "jobs", "stats",
                 "trigger", "events", "demo", "serve"]:  # fmt: skip
        assert f"  {name} " in result.output


def test_the_list_above_is_complete() -> None:
    """A command added later must be added to COMMANDS, so its help is tested too."""
    found: list[list[str]] = []

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in group.commands.items():
            found.append([*prefix, name])
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(cli, [])
    assert sorted(found) == sorted(COMMANDS)


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_help_has_usage_and_an_example(run: Run, words: list[str]) -> None:
    result = run(*words, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    assert "Example" in result.output


@pytest.mark.parametrize("words", [w for w in COMMANDS if w[0] not in ("new", "jobs", "events")
                                   or len(w) == 2])  # fmt: skip
def test_commands_taking_app_take_db(run: Run, words: list[str]) -> None:
    result = run(*words, "--help")
    assert "APP" in result.output
    assert "--db URL" in result.output


def test_jobs_and_events_explain_their_shorthand(run: Run) -> None:
    assert "`liqueue jobs APP` is short for `liqueue jobs list APP`" in run("jobs", "--help").output
    assert "short for `liqueue events list APP`" in " ".join(run("events", "--help").output.split())


def test_render_documents_how_params_are_read(run: Run) -> None:
    text = " ".join(run("render", "--help").output.split())
    assert "user_id=5 gives the number 5" in text


@pytest.mark.parametrize(
    "group", [[], ["jobs"], ["events"]], ids=lambda g: " ".join(g) or "liqueue"
)
def test_command_lists_are_not_truncated(run: Run, group: list[str]) -> None:
    listing = run(*group, "--help").output.split("Commands:\n", 1)[1]
    assert listing.strip()
    assert "..." not in listing


def test_every_command_running_a_worker_declares_its_options_alike() -> None:
    """`worker`, `serve --with-worker` and `demo` share one declaration."""

    def declared(name: str) -> list[tuple[object, ...]]:
        command = cli.commands[name]
        return [
            (p.name, p.help, p.default, repr(p.type))
            for p in command.params
            if isinstance(p, click.Option) and p.name in ("concurrency", "grace")
        ]

    assert len(declared("worker")) == 2
    assert declared("serve") == declared("worker") == declared("demo")


def test_serve_refuses_a_bad_worker_option_in_one_line(run: Run) -> None:
    result = run("serve", "--with-worker", "--grace", "soon")
    assert result.exit_code == 2
    assert "Invalid value for '--grace'" in result.output
