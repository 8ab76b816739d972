"""`liqueue demo APP`: render every page, run the jobs, show the log as it happens.

This is what README's first command runs on the example shop: a newcomer
watches jobs being queued, running, failing, retrying, dying and finishing.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from liqueue.app import STATE_DIR, App
from liqueue.logs import format_line
from liqueue.store import LogQuery
from liqueue.worker import Worker, WorkerOptions

Print = Callable[[str], None]


def page_names(app: App) -> list[str]:
    pages = app.root / "app" / "views" / "pages"
    return sorted(p.relative_to(pages).with_suffix("").as_posix() for p in pages.rglob("*.liquid"))


def run_demo(
    root: Path,
    *,
    database_url: str | None = None,
    fresh: bool = True,
    horizon: float = 15.0,
    concurrency: int = 4,
    out: Print = print,
) -> App:
    """Render every page, then work until no job is due within `horizon` seconds.

    Returns an open App on the same database, for the caller's summary.
    """
    if fresh and database_url is None:
        shutil.rmtree(Path(root) / STATE_DIR, ignore_errors=True)
    app = App(root, database_url=database_url)
    for page in page_names(app):
        result = app.render(page)
        outbox = result.outbox
        out(f"rendered {page}: {len(outbox.jobs)} job(s), {len(outbox.events)} event(s) queued")

    worker_app = App(root, database_url=app.database_url)
    worker = Worker(
        worker_app, WorkerOptions(concurrency=concurrency, burst=True, burst_horizon=horizon)
    )
    thread = threading.Thread(target=worker.run, name="liqueue-demo-worker", daemon=True)
    thread.start()
    last_id = 0
    while True:
        alive = thread.is_alive()
        for entry in app.store.read_logs(LogQuery(after_id=last_id)):
            out(format_line(entry))
            last_id = entry.id or last_id
        if not alive:
            break
        time.sleep(0.1)
    worker_app.close()
    return app
