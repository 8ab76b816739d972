"""`liqueue demo APP`: serve the app, click through its pages, run the jobs, show the log.

This is what README's first command runs on the example shop: the shop is
served over HTTP, every page is requested and every form on them posted
(as a person in a browser would), and a worker runs what they queued, so a
newcomer watches jobs being queued, running, failing, retrying, dying and
finishing. Then the shop keeps being served, with a worker, until Ctrl-C.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import uvicorn

from liqueue.app import STATE_DIR, App
from liqueue.liquid.routes import build_routes
from liqueue.logs import format_line
from liqueue.store import LogQuery
from liqueue.store.url import sqlite_url_for
from liqueue.web import create_app
from liqueue.web.forms import post_forms
from liqueue.web.server import ensure_port_free
from liqueue.worker import Worker, WorkerOptions

Print = Callable[[str], None]
STATUS_PAGES = ("app/views/pages/404.liquid", "app/views/pages/405.liquid")


def page_paths(app: App) -> list[str]:
    """The paths of the GET pages that need no parameter, in file order."""
    table = build_routes(app.root, app.runtime.front_matter)
    return [
        r.static
        for r in table.routes
        if r.method == "get" and r.static and r.redirect_to is None and r.path not in STATUS_PAGES
    ]


class Demo:
    def __init__(
        self,
        app: App,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        concurrency: int = 4,
        grace: float = 10.0,
        out: Print = print,
    ) -> None:
        self.app = app
        self.concurrency = concurrency
        self.grace = grace
        self.out = out
        self._last_log = 0
        # The server and the worker get Apps of their own, hence store
        # connections of their own, as separate processes would.
        self._server_app = App(app.root, database_url=app.database_url, clock=app.clock)
        config = uvicorn.Config(
            create_app(self._server_app), host=host, port=port, log_level="warning"
        )
        self._server = uvicorn.Server(config)
        self._server_thread = threading.Thread(target=self._server.run, daemon=True)
        self.url = ""

    def start(self) -> str:
        """Serve the app in a thread; return its URL once it listens."""
        ensure_port_free(self._server.config.host, self._server.config.port)
        self.app.store.migrate()
        self._server_thread.start()
        while not self._server.started:
            if not self._server_thread.is_alive():
                raise RuntimeError("the demo server could not start (is the port in use?)")
            time.sleep(0.02)
        host, port = self._server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self.url

    def click_through(self) -> None:
        """Request every page, post every form they show, follow redirects."""
        with httpx.Client(base_url=self.url, timeout=30.0) as client:
            for path in page_paths(self.app):
                response = client.get(path)
                self.out(f"GET {path} -> {response.status_code}")
                for form in post_forms(response.text, path):
                    posted = client.post(form.action, data=_as_data(form.fields))
                    where = posted.headers.get("location")
                    self.out(
                        f"POST {form.action} -> {posted.status_code}"
                        + (f" {where}" if where else "")
                    )
                    if where and posted.is_redirect:
                        self.out(f"GET {where} -> {client.get(where).status_code}")

    def work(self, *, burst: bool, horizon: float = 0.0) -> None:
        """Run jobs and print each new log line; with `burst`, until nothing is due
        within `horizon`, otherwise until Ctrl-C."""
        worker_app = App(self.app.root, database_url=self.app.database_url, clock=self.app.clock)
        options = WorkerOptions(
            concurrency=self.concurrency,
            burst=burst,
            burst_horizon=horizon,
            grace_seconds=self.grace,
        )
        worker = Worker(worker_app, options)
        thread = threading.Thread(target=worker.run, name="liqueue-demo-worker", daemon=True)
        thread.start()
        try:
            while True:
                alive = thread.is_alive()
                self._print_new_logs()
                if not alive:
                    break
                time.sleep(0.1)
        except KeyboardInterrupt:
            self.out("stopping: running jobs finish, the rest go back to the queue")
            worker.request_stop()
            thread.join()
            self._print_new_logs()
            raise
        finally:
            worker_app.close()

    def _print_new_logs(self) -> None:
        for entry in self.app.store.read_logs(LogQuery(after_id=self._last_log)):
            self.out(format_line(entry))
            self._last_log = entry.id or self._last_log

    def stop(self) -> None:
        self._server.should_exit = True
        self._server_thread.join(timeout=10)
        self._server_app.close()


def _as_data(fields: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {}
    for name, value in fields:
        previous = data.get(name)
        if previous is None:
            data[name] = value
        else:
            data[name] = [*([previous] if isinstance(previous, str) else previous), value]
    return data


def forget_default_database(app: App) -> None:
    """Start from an empty queue, but only ever delete liqueue's own default file."""
    default = app.root / STATE_DIR / "liqueue.db"
    if app.database_url != sqlite_url_for(default):
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{default}{suffix}").unlink(missing_ok=True)
