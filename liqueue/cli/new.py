"""`liqueue new DIR`: a small application that works at once."""

from __future__ import annotations

from pathlib import Path

import click

from liqueue.scaffold import create_app


@click.command(short_help="Create a new application that works at once.")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
def new(directory: Path) -> None:
    """Create a new application in DIR (created if missing; must be empty).

    \b
    The application holds:
      app/views/pages/index.liquid        a page queueing background jobs
                                          and publishing user.signed_up
      app/views/partials/emails/welcome   a partial, run by a job
      app/lib/consumers/user.signed_up/   a consumer of that event
      app/lib/events/user.signed_up       the event's schema
      liqueue.yml                         settings, all commented

    \b
    Example:
      liqueue new shop && cd shop
      liqueue migrate . && liqueue render . index --param email=ann@example.com
      liqueue worker . --burst && liqueue logs .
    """
    created = create_app(directory)
    for path in created:
        click.echo(f"created {path}")
    click.echo(f"\nnext: liqueue migrate {directory} && liqueue render {directory} index")


def register(group: click.Group) -> None:
    group.add_command(new)
