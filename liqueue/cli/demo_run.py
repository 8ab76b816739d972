"""What `liqueue demo APP` runs: render every page, run the jobs, show the log as it happens.

This is what README's first command runs on the example shop: a newcomer
watches jobs being queued, running, failing, retrying, dying and finishing.
It drives an App and a Worker together, so it lives with the commands.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from liqueue.app import STATE_DIR, App
from liqueue.logs import format_line
from liqueue.services import running_services
from liqueue.store import LogQuery
from liqueue.store.url import sqlite_url_for
from liqueue.worker import Worker, WorkerOptions

Print = Callable[[str], None]


def page_names(app: App) -> list[str]:
    pages = app.root / "app" / "views" / "pages"
    return sorted(p.relative_to(pages).with_suffix("").as_posix() for p in pages.rglob("*.liquid"))


def run_demo(
    app: App,
    *,
    fresh: bool = True,
    horizon: float = 15.0,
    concurrency: int = 4,
    out: Print = print,
) -> None:
    """Render every page, then work until no job is due within `horizon` seconds."""
    if fresh:
        _forget_default_database(app)
    # The app's own services (liqueue.yml `services:`) run while its jobs do.
    with running_services(app.root, app.config.services) as services:
        for service in services:
            out(f"started service {service.spec.name}: {' '.join(service.spec.command)}")
        _render_and_work(app, horizon, concurrency, out)


def _render_and_work(app: App, horizon: float, concurrency: int, out: Print) -> None:
    for page in page_names(app):
        result = app.render(page)
        outbox = result.outbox
        out(f"rendered {page}: {len(outbox.jobs)} job(s), {len(outbox.events)} event(s) queued")

    # The worker gets its own App, hence its own store connection, as a
    # worker process would; this thread only reads the log.
    worker_app = App(app.root, database_url=app.database_url, clock=app.clock)
    worker = Worker(
        worker_app, WorkerOptions(concurrency=concurrency, burst=True, burst_horizon=horizon)
    )
    thread = threading.Thread(target=worker.run, name="liqueue-demo-worker", daemon=True)
    thread.start()
    last_id = 0
    try:
        while True:
            alive = thread.is_alive()
            for entry in app.store.read_logs(LogQuery(after_id=last_id)):
                out(format_line(entry))
                last_id = entry.id or last_id
            if not alive:
                break
            time.sleep(0.1)
    except KeyboardInterrupt:
        out("stopping: running jobs finish, the rest go back to the queue")
        worker.request_stop()
        thread.join()
    finally:
        worker_app.close()


def _forget_default_database(app: App) -> None:
    """Start from an empty queue, but only ever delete liqueue's own default file."""
    default = app.root / STATE_DIR / "liqueue.db"
    if app.database_url != sqlite_url_for(default):
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{default}{suffix}").unlink(missing_ok=True)
