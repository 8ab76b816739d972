"""`liqueue serve`: uvicorn serving `create_app`, with job workers beside it if asked.

uvicorn needs an import string to run several processes or to reload, so
the server processes build the application from the environment
(`from_environment`), which `serve` fills in before starting them.
"""

from __future__ import annotations

import os
import signal
import subprocess

import uvicorn
from starlette.applications import Starlette

from liqueue.app import DATABASE_URL_ENV, App
from liqueue.web.application import create_app

APP_ENV = "LIQUEUE_SERVE_APP"
WORKER_GRACE_SECONDS = 10.0


def from_environment() -> Starlette:
    """The application factory the server processes call (`liqueue.web.server:from_environment`)."""
    root = os.environ.get(APP_ENV)
    if not root:
        raise RuntimeError(f"{APP_ENV} names no application directory")
    return create_app(App(root))


def serve(
    app: App,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    with_worker: bool = False,
    reload: bool = False,
    concurrency: int = 4,
) -> None:
    """Serve `app` until SIGINT/SIGTERM; with `with_worker`, run its jobs meanwhile."""
    os.environ[APP_ENV] = str(app.root)
    os.environ[DATABASE_URL_ENV] = app.database_url
    app.store.migrate()  # the first request must not find the schema missing
    worker = start_worker(app, concurrency) if with_worker else None
    try:
        uvicorn.run(
            "liqueue.web.server:from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers if not reload else None,
            reload=reload,
            reload_dirs=[str(app.root)] if reload else None,
            reload_includes=["*.liquid", "*.yml"] if reload else None,
            log_level="info",
        )
    finally:
        if worker is not None:
            stop_worker(worker)


def start_worker(app: App, concurrency: int) -> subprocess.Popen[bytes]:
    from liqueue.worker.producer import WorkerOptions
    from liqueue.worker.supervisor import child_command

    options = WorkerOptions(concurrency=concurrency, grace_seconds=WORKER_GRACE_SECONDS)
    return subprocess.Popen(child_command(app, options))


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    """Let running jobs finish (the worker's grace period), then make sure it is gone."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=WORKER_GRACE_SECONDS + 5)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
