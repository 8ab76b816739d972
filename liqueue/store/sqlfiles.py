"""SQL kept in files: one query per operation, versioned migrations per backend.

Each backend package holds `sql/<operation>.sql` and `migrations/NNNN_name.sql`.
They are read once, at import of the backend, through importlib.resources so
they work from a wheel as well as from a checkout.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files

from liqueue.errors import StoreError
from liqueue.store import columns
from liqueue.store.url import redact

SCHEMA_TABLE = "liqueue_schema"
# Spelled for one application when the store is opened by one (App.migrate_command).
MIGRATE_COMMAND = "liqueue migrate APP"
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

# How a backend writes the parameters for a list of columns.
ParamsOf = Callable[[Sequence[str]], str]


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_queries(
    package: str, params_of: ParamsOf | None, fragments: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Every `sql/*.sql` of a backend package, by file name without `.sql`.

    `{LIST_columns}` becomes the names of `columns.LISTS[LIST]`, `{LIST_params}`
    the backend's parameters for them (`params_of`; a backend without one
    takes no such placeholder), and `{name}` the backend's `fragments[name]`:
    an expression its Python code needs too, written once.
    """
    folder = files(package) / "sql"
    return {
        entry.name.removesuffix(".sql"): _fill(
            entry.name, entry.read_text("utf-8"), params_of, fragments or {}
        )
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    }


def _fill(
    name: str, text: str, params_of: ParamsOf | None, fragments: Mapping[str, str] | None = None
) -> str:
    def fragment(match: re.Match[str]) -> str:
        if fragments and match.group(1) in fragments:
            return fragments[match.group(1)]
        listed, _, kind = match.group(1).rpartition("_")
        if listed in columns.LISTS and kind == "columns":
            return ", ".join(columns.LISTS[listed])
        if listed in columns.LISTS and kind == "params" and params_of is not None:
            return params_of(columns.LISTS[listed])
        raise StoreError(f"{name}: unknown placeholder {match.group(0)}")

    return _PLACEHOLDER.sub(fragment, text)


def load_migrations(package: str) -> list[Migration]:
    """The backend's migrations in version order; versions must be 1, 2, 3, ..."""
    folder = files(package) / "migrations"
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            text = entry.read_text(encoding="utf-8")
            found.append(Migration(int(match.group(1)), match.group(2), text))
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"migrations of {package} are not numbered 1..n: {versions}")
    return found


def schema_problem(
    url: str, current: int, latest: int, migrate_command: str = MIGRATE_COMMAND
) -> str | None:
    """Why a database at `current` cannot be used by code that knows `latest`.

    `migrate_command` is the command that fixes an old or missing schema,
    spelled for the application at hand when the caller knows it.
    """
    where = redact(url)
    if current == latest:
        return None
    if current == 0:
        return f"the database {where} has no liqueue schema yet: run `{migrate_command}`"
    if current < latest:
        return (
            f"the liqueue schema in {where} is at version {current} but this liqueue needs "
            f"version {latest}: run `{migrate_command}`"
        )
    return (
        f"the liqueue schema in {where} is at version {current}, newer than this liqueue "
        f"(it knows up to version {latest}): upgrade liqueue on this machine; "
        "nothing was read or written"
    )


def check_schema_version(
    url: str, current: int, latest: int, migrate_command: str = MIGRATE_COMMAND
) -> None:
    problem = schema_problem(url, current, latest, migrate_command)
    if problem:
        raise StoreError(problem)
