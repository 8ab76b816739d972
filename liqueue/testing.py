"""Helpers for testing a liqueue application, meant to be imported by users' tests.

    from liqueue import App, ManualClock
    from liqueue.testing import drain

    clock = ManualClock()
    app = App("myapp", database_url=f"sqlite:///{tmp_path}/q.db", clock=clock)
    app.render("checkout", {"order": {"id": 7}})
    drain(app)                      # runs every job due now, in this process
    clock.advance(60)
    drain(app)                      # ...and the ones due a minute later

`drain` runs jobs one at a time in the calling thread, without time limits,
through the same runner and store a worker uses, but without retry jitter:
a failed attempt's retry is due exactly its `retry_backoff` later (5 s for
the first), so a test that advances the clock by that much passes every time.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from liqueue.api_calls.fakes import Answer, FakeApiCalls, faking
from liqueue.app import App
from liqueue.jobs import JobState
from liqueue.jobs.outcome import AttemptOutcome
from liqueue.logs import LogEntry
from liqueue.store import LogQuery
from liqueue.worker.runner import AttemptRunner
from liqueue.worker.wiring import attempt_parts


@dataclass
class Drained:
    outcomes: list[AttemptOutcome] = field(default_factory=list)

    def count(self, state: JobState) -> int:
        return sum(1 for outcome in self.outcomes if outcome.state is state)


def drain(app: App, *, max_attempts: int = 10_000, worker_id: str = "testing") -> Drained:
    """Run jobs due at `app.clock.now()` until none is due; return every outcome.

    Retries of failed attempts are scheduled without jitter (see above).

    Jobs queued by the drained jobs run too when they are already due.
    Stops after `max_attempts` attempts so a job that re-queues itself
    cannot hang a test.
    """
    rotation = attempt_parts(app).rotation
    # Jitter exists so the retries of one outage spread out; in a test it only
    # makes "the retry is due 5 s later" true on some runs and not others.
    backoff = dataclasses.replace(app.config.backoff, jitter=0.0)
    runner = AttemptRunner(app.runtime, app.clock, backoff, app.fanout)
    drained = Drained()
    while len(drained.outcomes) < max_attempts:
        jobs = app.store.claim(
            worker_id, 1, app.clock.now(), app.config.lease_seconds, rotation.next_order()
        )
        if not jobs:
            break
        outcome = runner.run(jobs[0])
        app.store.complete([outcome], app.clock.now())
        drained.outcomes.append(outcome)
    return drained


def attempt_lines(app: App, source_name: str | None = None) -> list[str]:
    """The messages of attempt log lines, oldest first."""
    entries = app.store.read_logs(LogQuery(type="attempt", source_name=source_name))
    return [entry.message for entry in entries]


def wait_for(predicate: object, timeout: float = 10.0, interval: float = 0.02) -> None:
    """Poll `predicate()` until it is truthy; raise AssertionError after `timeout` seconds."""
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s: {predicate!r}")


def logs(app: App, **query: object) -> list[LogEntry]:
    return app.store.read_logs(LogQuery(**query))  # type: ignore[arg-type]


def fake_api_calls(answers: Mapping[str, Answer]) -> AbstractContextManager[FakeApiCalls]:
    """Answer API calls by definition name instead of sending them; record what was sent.

        with fake_api_calls({"payments/charge": {"status": 200, "json": {"id": "ch_1"}}}) as calls:
            drain(app)
        request = calls.assert_called("payments/charge", times=1)
        assert request.headers["Idempotency-Key"] == "1005-..."

    Definitions are rendered as for real (URL, headers, body); failure
    statuses still fail the attempt. A call with no answer fails its render.
    An answer may be a list (given out in turn) or a function of the request.
    """
    return faking(answers)
