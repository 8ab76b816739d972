"""`App`: one Liquid application on disk, its runtime and its store."""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liqueue.clock import SYSTEM_CLOCK, Clock
from liqueue.config import AppConfig
from liqueue.errors import ConfigError, JobOptionError
from liqueue.events.event import PYTHON_ORIGIN, Event, new_event
from liqueue.events.fanout import Fanout
from liqueue.outbox import Outbox
from liqueue.policies import JobAdmission, Policies, load_schedule_files
from liqueue.secrets import Secrets
from liqueue.store import Store, open_store
from liqueue.store.url import redact, resolve_url, sqlite_url_for

if TYPE_CHECKING:
    from liqueue.functions import HostFunction
    from liqueue.liquid.problems import Problem
    from liqueue.liquid.runtime import RenderResult, Runtime

DATABASE_URL_ENV = "LIQUEUE_DATABASE_URL"
STATE_DIR = ".liqueue"


class App:
    """A directory laid out like a platformOS app: `app/views/pages`, partials, `app/lib`.

    The database is, in order of precedence: the `database_url` argument
    (`--db`), `$LIQUEUE_DATABASE_URL`, `database_url` in `liqueue.yml`, and
    finally a SQLite file at `<app>/.liqueue/liqueue.db`.
    """

    def __init__(
        self,
        root: Path | str,
        *,
        database_url: str | None = None,
        clock: Clock = SYSTEM_CLOCK,
        functions: Mapping[str, HostFunction] | None = None,
    ) -> None:
        self.root = Path(root).resolve()
        self._given_root = str(root)
        if not (self.root / "app").is_dir():
            raise ConfigError(
                f"{self.root} is not a liqueue application: it has no app/ directory "
                "(create one with `liqueue new DIR`)"
            )
        self.clock = clock
        # Host functions given here serve this process; worker processes build
        # their own App, so they find functions through `functions:` in liqueue.yml.
        self.functions = dict(functions or {})
        self.config = AppConfig.load(self.root)
        # Given on the command line (--db): `liqueue migrate` needs it again.
        self._database_url_given = database_url is not None
        # A relative SQLite path is relative to the app, wherever the command runs.
        self.database_url = resolve_url(
            database_url
            or os.environ.get(DATABASE_URL_ENV)
            or self.config.database_url
            or sqlite_url_for(self.root / STATE_DIR / "liqueue.db"),
            self.root,
        )

    @cached_property
    def runtime(self) -> Runtime:
        from liqueue.liquid.runtime import Runtime

        runtime = Runtime(self.root, self.config, self.clock, self.functions)
        # Unique jobs: a render asks the store whether an equal job is queued.
        runtime.outside.admission = JobAdmission(self.policies, self._unique_holder)
        return runtime

    @cached_property
    def policies(self) -> Policies:
        """Schedules and source policies: liqueue.yml's, then app/schedules/*.yml."""
        return load_schedule_files(self.root, self.config.policies)

    def _unique_holder(self, key: str, now: float) -> str | None:
        return self.store.unique_holder(key, now)

    @cached_property
    def secrets(self) -> Secrets:
        """This process's secrets, to mask what the CLI and dashboard show."""
        return Secrets.from_environment(self.config.secrets)

    @cached_property
    def fanout(self) -> Fanout:
        return Fanout(self.root, self.config, self.runtime)

    @cached_property
    def store(self) -> Store:
        # The SQLite store creates its directory, and says so when it cannot.
        return open_store(self.database_url, migrate_command=self.migrate_command)

    @property
    def migrate_command(self) -> str:
        """The command that creates or updates this application's schema, password masked."""
        words = ["liqueue", "migrate", self._given_root]
        if self._database_url_given:
            words += ["--db", redact(self.database_url)]
        return shlex.join(words)

    def render(
        self,
        page: str,
        params: Mapping[str, object] | None = None,
        *,
        enqueue: bool = True,
        connection: Any = None,
    ) -> RenderResult:
        """Render a page; if it succeeds, persist its outbox in one transaction.

        A render that raises queues nothing. With `connection` (a psycopg
        connection on PostgreSQL), the outbox joins the caller's transaction.
        The result's outbox is what was queued: with `enqueue`, its events as
        their schemas judged them and their consumer jobs among its jobs.
        """
        result = self.runtime.render(page, params)
        if enqueue:
            result.queued_at = self.clock.now()
            result.outbox = self._enqueue(result.outbox, result.queued_at, connection)
        return result

    def enqueue(self, outbox: Outbox, *, connection: Any = None) -> None:
        """Persist an outbox, fanning its events out to their consumers first."""
        self._enqueue(outbox, self.clock.now(), connection)

    def enqueue_now(self, outbox: Outbox) -> bool:
        """`enqueue` if it can be done without waiting: the store needs no wait
        (SQLite with its write lock free) and no event's fan-out runs a schema
        template (which may block). True once committed; False, with nothing
        written, otherwise."""
        # Checked before the fan-out, which the writer would otherwise redo.
        if not self.store.writes_in_process:
            return False
        if outbox.events and not self.fanout.runs_no_template(outbox):
            return False
        expanded = self.fanout.expand(outbox)
        return self.store.enqueue_now(expanded, self.clock.now()) if expanded else True

    def _enqueue(self, outbox: Outbox, now: float, connection: Any) -> Outbox:
        expanded = self.fanout.expand(outbox)
        if expanded:
            self.store.enqueue(expanded, now, connection=connection)
        return expanded

    def check(self) -> list[Problem]:
        """Every problem of every template, consumer and event schema, in file order."""
        # Imported here: they load python-liquid, which commands that never
        # render (jobs, logs, stats) do without.
        from liqueue.api_calls.check import check_api_calls
        from liqueue.events.check import check_events, publishable_event_types
        from liqueue.liquid.routes import build_routes
        from liqueue.policy_check import check_policies

        routes = build_routes(self.root, self.runtime.front_matter).problems
        problems = [
            *self.runtime.check(publishable_event_types(self.root)),
            *check_events(
                self.root, self.runtime.front_matter, self.runtime.loader.partial_candidates
            ),
            *check_api_calls(self.runtime),
            *routes,
            *check_policies(self.root, self.policies, self.runtime.loader.partial_candidates),
        ]
        problems = list(dict.fromkeys(problems))  # front matter errors are found twice
        return sorted(problems, key=lambda p: (p.location.path, p.location.line, p.location.column))

    def trigger_event(self, type: str, payload: Mapping[str, object]) -> Event:
        """Publish an event from Python: stored, validated, consumers enqueued."""
        data = self._payload_data(payload)
        event = new_event(type, data, at=self.clock.now(), origin=PYTHON_ORIGIN)
        self.enqueue(Outbox(events=[event]))
        return self.store.get_event(event.id)

    def _payload_data(self, payload: Mapping[str, object]) -> dict[str, Any]:
        """The payload as plain JSON data, held to the bounds `trigger_event` holds a
        template's payload to (limits.job_arguments_bytes, nesting)."""
        from liqueue.liquid.values import TooLarge, to_json_value

        limit = self.config.limits.job_arguments_bytes
        try:
            data: dict[str, Any] = to_json_value(dict(payload), max_chars=limit)
        except TooLarge:
            raise JobOptionError(
                f"the event's payload is more than {limit:,} bytes as JSON "
                "(limits.job_arguments_bytes): pass ids, not large objects"
            ) from None
        except ValueError as err:
            raise JobOptionError(f"the event's payload cannot be stored as JSON: {err}") from None
        return data

    def close(self) -> None:
        if "runtime" in self.__dict__:
            self.runtime.outside.api.close()
        if "store" in self.__dict__:
            self.store.close()

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def republish_event(self, event_id: str) -> tuple[Event, Event]:
        """Publish a stored event again (same type, payload and request context, a new
        id, new consumer jobs).

        `event_id` is a full id or unique prefix. Returns (the stored event, the new one).
        """
        original = self.store.get_event(event_id)
        event = new_event(
            original.type,
            dict(original.payload),
            at=self.clock.now(),
            origin=PYTHON_ORIGIN,
            context=original.context,
        )
        self.enqueue(Outbox(events=[event]))
        return original, self.store.get_event(event.id)
