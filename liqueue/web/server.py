"""`liqueue serve`: uvicorn serving `create_app`, with job workers beside it if asked.

uvicorn needs an import string to run several processes or to reload, so
the server processes build the application from the environment
(`from_environment`), which `serve` fills in before starting them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import socket
from collections.abc import Iterator
from multiprocessing.process import BaseProcess

import uvicorn
from starlette.applications import Starlette

from liqueue.app import DATABASE_URL_ENV, App
from liqueue.errors import ConfigError
from liqueue.lifeline import sigterm_raises
from liqueue.services import running_services
from liqueue.web.application import create_app
from liqueue.web.dashboard import dashboard_access

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
    grace_seconds: float = WORKER_GRACE_SECONDS,
    access_log: bool = False,
) -> None:
    """Serve `app` until SIGINT/SIGTERM; with `with_worker`, run its jobs meanwhile.

    The access log is off unless asked for: under load its line per request
    took about as much of the server's time as rendering a small page.
    """
    dashboard_access(app).check_bind(host)  # no open dashboard beyond loopback
    os.environ[APP_ENV] = str(app.root)
    os.environ[DATABASE_URL_ENV] = app.database_url
    ensure_port_free(host, port)
    app.store.migrate()  # the first request must not find the schema missing
    with contextlib.suppress(_Terminated), contextlib.ExitStack() as stack:
        stack.enter_context(sigterm_raises(_Terminated))
        if with_worker:
            # The app's own services (liqueue.yml `services:`) run while its jobs do.
            stack.enter_context(running_services(app.root, app.config.services))
            stack.enter_context(worker_beside(app, concurrency, grace_seconds))
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
            access_log=access_log,
        )


class _Terminated(Exception):
    """SIGTERM, raised where the main thread is so that `serve`'s blocks unwind.

    uvicorn stops gracefully on SIGTERM, then raises the signal again with the
    handler it found; with Python's default one the process ended there,
    before the worker beside the server was told to stop, which lived on,
    orphaned, with its jobs.
    """


def ensure_port_free(host: str, port: int) -> None:
    """ConfigError, in one line, when `host:port` cannot be listened on (0: any port)."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            raise ConfigError(
                f"cannot serve on {host}:{port}: {err.strerror or err} "
                "(pass --port N, or --port 0 for any free port)"
            ) from None


@contextlib.contextmanager
def worker_beside(
    app: App, concurrency: int, grace_seconds: float = WORKER_GRACE_SECONDS
) -> Iterator[BaseProcess]:
    """A worker process for `app` while the block runs; on exit its running
    jobs finish (the worker's grace period), then it is made sure to be gone."""
    from liqueue.worker.supervisor import ChildSpec, run_child
    from liqueue.worker.worker import WorkerOptions

    options = WorkerOptions(concurrency=concurrency, grace_seconds=grace_seconds)
    spec = ChildSpec(app.root, app.database_url, options, parent_pid=os.getpid())
    context = multiprocessing.get_context("spawn")
    summaries = context.SimpleQueue()  # burst summaries: a serving worker never sends one
    worker = context.Process(target=run_child, args=(spec, summaries), name="liqueue-worker")
    worker.start()
    try:
        yield worker
    finally:
        if worker.exitcode is None:
            worker.terminate()  # SIGTERM: the worker's graceful stop
        worker.join(timeout=grace_seconds + 5)
        if worker.exitcode is None:
            worker.kill()
            worker.join()
