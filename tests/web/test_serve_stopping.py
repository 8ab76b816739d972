"""Stopping `liqueue serve --with-worker` as a service manager does: SIGTERM.

uvicorn stops gracefully on SIGTERM, then raises the signal again with the
handler it found; with Python's default one the process died there, before
the worker beside it was told to stop, so the worker lived on with its jobs.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import httpx

from liqueue import App
from liqueue.jobs import JobState
from liqueue.store import JobQuery
from liqueue.testing import wait_for
from tests.apps import sleep, write_app
from tests.processes import children, gone
from tests.web.conftest import Serve

BOUND = 60  # seconds: a hang, not a slow machine, goes past this


def test_sigterm_lets_the_running_job_finish_and_stops_the_worker_first(
    tmp_path: Path, serve: Serve
) -> None:
    root = write_app(tmp_path / "app", {
        "views/pages/index.liquid": "up",  # what the start-up check asks for
        "views/pages/slow.liquid": f"{{% background source_name: 'slow' %}}{sleep(2)}{{% endbackground %}}queued",
    }, "lease_seconds: 600\n", with_sleep=True)  # fmt: skip
    server = serve(root, "--with-worker", "--grace", "10m")
    assert httpx.get(server.url + "/slow").text == "queued"
    with App(root) as app:
        wait_for(lambda: app.store.list_jobs(JobQuery(state=JobState.RUNNING)) != [], timeout=BOUND)
        workers = children(server.process.pid)
        assert workers, server.output()
        stopped_at = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=BOUND) == 0, server.output()
        assert time.monotonic() - stopped_at < 600  # not by the grace period running out
        # Nobody left behind. Beside the worker (joined, so gone at once) the
        # children include multiprocessing's resource tracker, which ends by
        # itself when the server's end of its pipe closes: a moment later.
        wait_for(lambda: all(gone(pid) for pid in workers), timeout=10)
        output = server.output()
        assert "Traceback" not in output and "leaked" not in output, output
        [job] = app.store.list_jobs(JobQuery())
        assert job.state == JobState.DONE, output  # finished within the grace period
