"""The live tail of the logs page: server-sent events over real HTTP, on both backends."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from tests.dashboard.conftest import liqueue
from tests.web.conftest import Serve, write_app

TAIL_APP = {
    "app/views/pages/queue.liquid": (
        "{% background source_name: 'tailed' %}{% log 'tail me 42' %}{% endbackground %}"
    ),
}


def test_a_queued_jobs_log_line_arrives_on_the_stream(
    tmp_path: Path, db_url: str, serve: Serve
) -> None:
    root = write_app(tmp_path / "tail", TAIL_APP)
    assert liqueue("migrate", str(root), "--db", db_url).returncode == 0
    server = serve(root, "--db", db_url)
    url = server.url + "/_liqueue/api/logs/stream"
    # Every read is bounded, and so is the whole wait for the line.
    with httpx.stream("GET", url, timeout=httpx.Timeout(30.0)) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = response.iter_lines()
        assert next(lines) == "retry: 2000"
        for args in (("render", "queue"), ("worker", "--burst")):
            done = liqueue(args[0], str(root), "--db", db_url, *args[1:])
            assert done.returncode == 0, done.stderr
        deadline = time.monotonic() + 30
        seen: list[dict[str, object]] = []
        while time.monotonic() < deadline:
            line = next(lines)
            if line.startswith("data: "):
                seen.append(json.loads(line.removeprefix("data: ")))
                if any(entry["message"] == "tail me 42" for entry in seen):
                    break
    messages = [entry["message"] for entry in seen]
    assert "tail me 42" in messages
    tailed = next(entry for entry in seen if entry["message"] == "tail me 42")
    assert tailed["source_name"] == "tailed" and tailed["id"]
