"""docs/cli.md, generated from the click commands themselves so it cannot drift.

`scripts/gen-cli-docs` writes it; a test fails when the file differs from
what `markdown()` returns now.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

WIDTH = 88  # fixed, so the file does not depend on the terminal it was made in

HEADER = """\
# Command line reference

Generated from the commands' own help by `scripts/gen-cli-docs`: edit the
commands' docstrings and options, then run it (a test fails when this file is
stale). `liqueue COMMAND --help` prints the same text.
"""


def markdown(root: click.Group | None = None) -> str:
    """Every command's help, in the order `liqueue --help` lists them."""
    if root is None:
        from liqueue.cli import cli

        root = cli
    sections = [HEADER]
    for path, command in _walk(root, ["liqueue"]):
        sections.append(f"## `{' '.join(path)}`\n\n```text\n{_help(command, path)}\n```\n")
    return "\n".join(sections)


def _walk(command: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _walk(sub, [*path, name])


def _help(command: click.Command, path: list[str]) -> str:
    parent: click.Context | None = None
    for name in path[:-1]:
        parent = click.Context(click.Command(name), info_name=name, parent=parent)
    ctx = click.Context(
        command,
        info_name=path[-1],
        parent=parent,
        terminal_width=WIDTH,
        max_content_width=WIDTH,
        help_option_names=["-h", "--help"],  # as the root group's context_settings
    )
    return command.get_help(ctx).rstrip()


def main() -> None:
    sys.stdout.write(markdown())


if __name__ == "__main__":
    main()
