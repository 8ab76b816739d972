"""`liqueue migrate`: create or update the database schema."""

from __future__ import annotations

import click

from liqueue.app import App
from liqueue.cli._common import with_app
from liqueue.store.url import redact


@click.command(short_help="Create or update the database schema.")
@with_app
def migrate(app: App) -> None:
    """Create or update the database schema of APP; print the version in force.

    Safe to run again: applied migrations are skipped. Run it after
    `liqueue new` and after upgrading liqueue.

    \b
    Examples:
      liqueue migrate shop
      liqueue migrate shop --db postgresql://localhost/shop
    """
    before, _latest = app.store.schema_version()
    version = app.store.migrate()
    where = redact(app.database_url)
    if version == before:
        click.echo(f"{where}: schema already at version {version}")
    else:
        click.echo(f"{where}: schema migrated from version {before} to {version}")


def register(group: click.Group) -> None:
    group.add_command(migrate)
