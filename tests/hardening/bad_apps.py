"""Real applications holding one bad input each, and the checks every case shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from liqueue.app import App
from liqueue.clock import ManualClock
from liqueue.errors import LiqueueError
from liqueue.jobs import JobState
from liqueue.store import JobQuery
from liqueue.testing import drain

INDEX = "app/views/pages/index.liquid"
GOOD_NAME = "source_name: 'hardening_case'"


@dataclass(frozen=True)
class Bad:
    """One bad input: files to write (relative to the app root) and the error it must give.

    `where` is the start of the error's text (`path:line` or `path:line:col`);
    `says` a regular expression the rest of the message must contain.
    """

    id: str
    files: dict[str, str | bytes]
    where: str
    says: str
    params: dict[str, object] = field(default_factory=dict)

    def write(self, root: Path) -> None:
        (root / "app" / "views" / "pages").mkdir(parents=True, exist_ok=True)
        for relative, content in self.files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")


def open_app(root: Path) -> App:
    return App(root, database_url=f"sqlite:///{root}/.liqueue/q.db", clock=ManualClock())


def assert_placed(message: str, case: Bad) -> None:
    """One line, starting with the place, saying the problem, without Python's internals."""
    assert "\n" not in message, message
    assert "Traceback" not in message, message
    assert message.startswith(case.where + ":"), f"{message!r} does not start with {case.where!r}"
    assert re.search(case.says, message), f"{message!r} does not say {case.says!r}"


def all_jobs(app: App) -> list[object]:
    return list(app.store.list_jobs(JobQuery(limit=1_000_000)))


def render_error(app: App, params: dict[str, object] | None = None) -> str:
    """The error of rendering the index page; asserts it is liqueue's and queued nothing."""
    try:
        app.render("index", params or {})
    except LiqueueError as err:
        assert all_jobs(app) == [], "a failed render queued jobs"
        return str(err)
    raise AssertionError("the render succeeded")


def job_error(app: App) -> str:
    """Render the index page (which must queue one job), run it: its failure's place and message."""
    app.render("index")
    assert len(all_jobs(app)) == 1
    drained = drain(app)
    assert len(drained.outcomes) == 1, drained.outcomes
    outcome = drained.outcomes[0]
    assert outcome.state is JobState.DEAD, outcome
    assert outcome.error_message is not None
    assert outcome.outbox.jobs == [], "a failed attempt queued jobs"
    return f"{outcome.error_location}: {outcome.error_message}"


def in_job(body: str) -> str:
    return f"{{% background {GOOD_NAME} %}}{body}{{% endbackground %}}"
