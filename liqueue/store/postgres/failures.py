"""Which PostgreSQL failures pass on their own and which need the user.

A worker waits out what passes: the server restarting (connection refused,
"the database system is shutting down / starting up"), an administrator
ending the connection, a serialization failure or deadlock. What will not
pass by waiting (the database does not exist, the role or password is
wrong, no pg_hba.conf entry, an unknown host) is reported at once with what
to do, instead of after many identical connection attempts.

Failures to connect carry no SQLSTATE in psycopg, so they are told apart by
the server's message (PostgreSQL's English wording).
"""

from __future__ import annotations

import re
import shlex
from urllib.parse import unquote, urlsplit

import psycopg

from liqueue.errors import StoreError, StoreUnavailable
from liqueue.store.url import redact

CONNECT_TIMEOUT_SECONDS = 5

_MISSING_DATABASE = re.compile(r'database "([^"]+)" does not exist')
_MISSING_ROLE = re.compile(r'role "([^"]+)" does not exist')
_BAD_PASSWORD = re.compile(r'password authentication failed for user "([^"]+)"')
_NO_HBA_ENTRY = "no pg_hba.conf entry"
_UNKNOWN_HOST = ("could not translate host name", "Name or service not known")


def probe(url: str, migrate_command: str) -> None:
    """Connect once, directly, to learn why (or whether) the server cannot be used."""
    try:
        psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_SECONDS).close()
    except psycopg.OperationalError as err:
        raise connect_failure(url, err, migrate_command) from err


def connect_failure(url: str, err: psycopg.OperationalError, migrate_command: str) -> StoreError:
    """StoreError (fix it, then run again) or StoreUnavailable (wait and retry)."""
    where = f"PostgreSQL at {redact(url)}"
    detail = _server_message(err)
    if match := _MISSING_DATABASE.search(detail):
        return StoreError(
            f'{where}: database "{match.group(1)}" does not exist: create it with '
            f"`{_client_command(url, 'createdb', match.group(1))}`, then run `{migrate_command}`"
        )
    if match := _MISSING_ROLE.search(detail):
        return StoreError(
            f'{where}: role "{match.group(1)}" does not exist: fix the user name in the URL '
            f"or create the role with `{_client_command(url, 'createuser', match.group(1))}`"
        )
    if match := _BAD_PASSWORD.search(detail):
        return StoreError(
            f'{where}: password authentication failed for user "{match.group(1)}": '
            "check the password in the URL (or in $PGPASSWORD / ~/.pgpass)"
        )
    if _NO_HBA_ENTRY in detail:
        return StoreError(f"{where}: the server refuses this client: {detail} (see pg_hba.conf)")
    if any(text in detail for text in _UNKNOWN_HOST):
        return StoreError(f"{where}: unknown host: check the host name in the URL")
    if "Connection refused" in detail:
        return StoreUnavailable(
            f"{where}: connection refused: is the server running and listening on that "
            "host and port?"
        )
    return StoreUnavailable(f"{where}: {detail}")


def one_line(err: BaseException) -> str:
    """The error's text on one line (psycopg's may add LINE and caret lines)."""
    return " ".join(str(err).split())


def _server_message(err: BaseException) -> str:
    """The message without psycopg's `connection failed: connection to server ... failed:`."""
    text = " ".join(str(err).split())
    return text.rsplit("failed: ", 1)[-1].removeprefix("FATAL: ").strip() or text


def _client_command(url: str, program: str, name: str) -> str:
    """`createdb -h HOST -p PORT -U USER NAME` with the parts the URL gives."""
    parts = urlsplit(url)
    words = [program]
    if parts.hostname:
        words += ["-h", parts.hostname]
    if parts.port:
        words += ["-p", str(parts.port)]
    if parts.username and program == "createdb":
        words += ["-U", unquote(parts.username)]
    words.append(name)
    return shlex.join(words)
