"""Colour on a terminal, none when piped or when $NO_COLOR is set (no-color.org)."""

from __future__ import annotations

import os

import click

from liqueue.logs import LogEntry, format_line

_STATUS_COLOURS = {"FAILED": "red", "SUCCESS": "green"}


def colour() -> bool | None:
    """click.echo's `color`: None lets click colour terminals only; False never colours."""
    return False if os.environ.get("NO_COLOR") else None


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """click.echo, honouring $NO_COLOR."""
    click.echo(text, err=err, nl=nl, color=colour())


def red(text: str) -> str:
    return click.style(text, fg="red")


def green(text: str) -> str:
    return click.style(text, fg="green")


def yellow(text: str) -> str:
    return click.style(text, fg="yellow")


def severity(word: str) -> str:
    """`error` in red, `warning` in yellow."""
    return red(word) if word == "error" else yellow(word) if word == "warning" else word


def log_line(entry: LogEntry) -> str:
    """format_line with an attempt's FAILED in red and SUCCESS in green."""
    line = format_line(entry)
    if entry.status in _STATUS_COLOURS:
        word = f" - {entry.status} - "
        styled = f" - {click.style(entry.status, fg=_STATUS_COLOURS[entry.status])} - "
        return line.replace(word, styled, 1)  # attempt_message always has ` - STATUS - Nms`
    return line
