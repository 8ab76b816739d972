"""Pages over HTTP: requests per second and latency of `liqueue serve` (1 process).

Scenarios: (a) a page with no tags, (b) a page with one `background` tag,
(c) a JSON POST queueing 3 jobs and an event (whose one consumer adds a
job), on SQLite and PostgreSQL; beside them, the page of (a) rendered by a
plain Starlette + python-liquid endpoint under the same uvicorn (no liqueue).

Each measurement: the peak rate, then latency at half that rate (open
loop, requests paced per client; latency from send to last byte), and the
server process's CPU time per request at the peak (what the server costs,
whatever the client's own share of the cores). The peak is the best rate
of closed-loop keep-alive clients over --seconds, tried with each number
of --connections, the same for every server: a server that commits the
jobs of concurrent requests together (liqueue's group commit) answers more
of them per second the more come at once, while a plain endpoint is bound
by its CPU from a few connections on; eight clients in lockstep measure
the group commit's latency rather than the server's capacity. The rate at
each number of connections is printed too, and latency at half the peak is
paced over the fewest. Each measurement is repeated --runs
times; the median is printed with its range. The load generator
(http.client in threads) shares the machine's cores with the server:
figures are relative.

    .venv/bin/python bench/serve.py                  # about 5 minutes
    .venv/bin/python bench/serve.py --runs 1 --seconds 2 --no-postgres
    .venv/bin/python bench/serve.py --in-process     # no HTTP: the ASGI apps called directly

--in-process calls each ASGI application directly on one event loop (no
socket, no uvicorn), IN_PROCESS_CONCURRENCY requests at a time, and prints the CPU
time of the whole process per request: what the application itself costs,
for profiling (py-spy or cProfile around it).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CLOCK_TICKS, machine, percentile, stop_process
from serve_pages import CONSUMER, ONE_JOB_PAGE, ORDER_PAGE, PLAIN_PAGE

BENCH_DIR = Path(__file__).resolve().parent
POSTGRES_URL = os.environ.get("LIQUEUE_BENCH_POSTGRES_URL", "postgresql://127.0.0.1:5432/postgres")
CONNECTIONS = (8, 16, 32)  # closed-loop clients tried for each peak
IN_PROCESS_CONCURRENCY = 8


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


GET_PLAIN = Request("GET", "/plain")
GET_ONE_JOB = Request("GET", "/one-job")
POST_ORDER = Request(
    "POST", "/orders", json.dumps({"id": 7}).encode(), (("Content-Type", "application/json"),)
)


@dataclass
class Measured:
    rate: float  # requests per second
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_us: float = 0.0  # the server process's CPU time per request (user + system)
    connections: int = 0


@dataclass
class Measurement:
    top: Measured  # the best of `by_connections`
    half: Measured  # paced at half the top rate
    by_connections: dict[int, float]  # peak rate with each number of connections


def uvicorn_parts() -> str:
    """What uvicorn's `auto` picks, the same for both servers (same interpreter)."""
    from importlib.util import find_spec

    loop = "uvloop" if find_spec("uvloop") else "asyncio"
    http = "httptools" if find_spec("httptools") else "h11"
    return f"loop {loop}, http {http}"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, path: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no server on port {port}")


@contextmanager
def server(
    command: list[str], port: int, probe: str, env: dict[str, str] | None = None
) -> Iterator[int]:
    """The server's pid while it runs (one process: uvicorn with one worker runs in it)."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})}, cwd=BENCH_DIR,
    )  # fmt: skip
    try:
        wait_for(port, probe)
        yield process.pid
    finally:
        stop_process(process)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def one(connection: http.client.HTTPConnection, request: Request) -> int:
    connection.request(
        request.method, request.path, body=request.body, headers=dict(request.headers)
    )
    response = connection.getresponse()
    response.read()
    return response.status


def peak(port: int, request: Request, seconds: float, connections: int) -> Measured:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        while (start := time.perf_counter()) < stop_at:
            status = one(connection, request)
            mine.append(time.perf_counter() - start)
            bad += status >= 400
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    measured = _measured(latencies, elapsed, errors[0])
    measured.connections = connections
    return measured


def paced(port: int, request: Request, rate: float, seconds: float, connections: int) -> Measured:
    """Open loop: each client sends on its own schedule, rate/connections per second."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    interval = connections / rate
    began = time.perf_counter()

    def client(offset: float) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        due = began + offset
        while due < began + seconds:
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            start = time.perf_counter()
            status = one(connection, request)
            mine.append(time.perf_counter() - start)
            bad += status >= 400
            due += interval
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [
        threading.Thread(target=client, args=(i * interval / connections,))
        for i in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _measured(latencies, time.perf_counter() - began, errors[0])


def _measured(latencies: list[float], elapsed: float, errors: int) -> Measured:
    ms = [x * 1000 for x in latencies]
    return Measured(len(ms) / elapsed, percentile(ms, 50), percentile(ms, 99), errors)


def make_app(root: Path) -> Path:
    pages = root / "app" / "views" / "pages"
    pages.mkdir(parents=True)
    (pages / "plain.liquid").write_text(PLAIN_PAGE)
    (pages / "one_job.liquid").write_text(ONE_JOB_PAGE)
    (pages / "orders").mkdir()
    (pages / "orders" / "create.liquid").write_text(ORDER_PAGE)
    consumers = root / "app" / "lib" / "consumers" / "order.placed"
    consumers.mkdir(parents=True)
    (consumers / "record.liquid").write_text(CONSUMER)
    (root / "liqueue.yml").write_text("environment: production\n")
    return root


@contextmanager
def postgres_database() -> Iterator[str]:
    from urllib.parse import urlsplit, urlunsplit

    name = f"liqueue_bench_serve_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(POSTGRES_URL)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(
    pid: int, port: int, request: Request, seconds: float, connections: tuple[int, ...]
) -> Measurement:
    tried = []
    for clients in connections:
        used = cpu_seconds(pid)
        top = peak(port, request, seconds, clients)
        top.cpu_us = (cpu_seconds(pid) - used) / (top.rate * seconds) * 1e6
        tried.append(top)
    top = max(tried, key=lambda measured: measured.rate)
    # Open loop: the number of clients matters only once a request takes longer
    # than its client's interval, so the fewest, as the runs before the sweep.
    half = paced(port, request, top.rate / 2, seconds, min(connections))
    return Measurement(top, half, {m.connections: m.rate for m in tried})


def spread(values: list[float], digits: int = 0) -> str:
    med = statistics.median(values)
    return f"{med:.{digits}f} [{min(values):.{digits}f}-{max(values):.{digits}f}]"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument(
        "--connections",
        type=connection_counts,
        default=CONNECTIONS,
        help="closed-loop clients tried for each peak, comma-separated "
        f"(default: {','.join(map(str, CONNECTIONS))})",
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--in-process", action="store_true")
    parser.add_argument("--requests", type=int, default=8000, help="per scenario, --in-process")
    options = parser.parse_args()
    if options.in_process:
        in_process(options.requests, not options.no_postgres)
        return

    info = machine()
    print("command:", shlex.join([Path(sys.executable).name, *sys.argv]))
    print("machine:", ", ".join(f"{k} {v}" for k, v in info.items()))
    levels: tuple[int, ...] = options.connections
    print(
        f"peak: the best of {', '.join(map(str, levels))} keep-alive connections; "
        f"{options.runs} run(s) of {options.seconds:g}s per measurement"
    )
    print("both servers: 1 uvicorn process, access log off, " + uvicorn_parts())

    results: dict[str, list[Measurement]] = {}
    backends = ["sqlite"] + ([] if options.no_postgres else ["postgresql"])
    with tempfile.TemporaryDirectory(prefix="liqueue-bench-serve-") as tmp:
        root = make_app(Path(tmp) / "app")
        for _ in range(options.runs):
            port = free_port()
            plain = [sys.executable, "-m", "uvicorn", "plain_page:app", "--port", str(port),
                     "--no-access-log"]  # fmt: skip
            with server(plain, port, "/plain") as pid:
                results.setdefault(PLAIN, []).append(
                    measure(pid, port, GET_PLAIN, options.seconds, levels)
                )
            for backend in backends:
                with _database(backend, Path(tmp)) as url:
                    port = free_port()
                    command = [
                        sys.executable,
                        "-m",
                        "liqueue.cli",
                        "serve",
                        str(root),
                        "--port",
                        str(port),
                        "--db",
                        url,
                    ]
                    with server(command, port, "/plain") as pid:
                        for label, request in zip(
                            SCENARIOS, (GET_PLAIN, GET_ONE_JOB, POST_ORDER), strict=True
                        ):
                            results.setdefault(f"liqueue {backend}: {label}", []).append(
                                measure(pid, port, request, options.seconds, levels)
                            )
    report(results, backends, levels)
    print("load average after:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


def connection_counts(text: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(part) for part in text.split(","))
    except ValueError:
        counts = ()
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: positive whole numbers, comma-separated")
    return counts


PLAIN = "plain Starlette + python-liquid, page (a)"
SCENARIOS = ("(a) page, no tags", "(b) page, one background tag", "(c) POST, 3 jobs + 1 event")


def report(
    results: dict[str, list[Measurement]], backends: list[str], levels: tuple[int, ...]
) -> None:
    print()
    print(
        f"{'scenario':<48} {'peak req/s':>20} {'conns':>5} {'server CPU us/req':>18} "
        f"{'p50 ms @peak':>18} {'p99 ms @half':>20} {'p50 ms @half':>18} errors"
    )
    for label, runs in results.items():
        tops = [run.top for run in runs]
        halves = [run.half for run in runs]
        conns = statistics.median_low([top.connections for top in tops])
        print(
            f"{label:<48} {spread([t.rate for t in tops]):>20} {conns:>5} "
            f"{spread([t.cpu_us for t in tops]):>18} {spread([t.p50_ms for t in tops], 2):>18} "
            f"{spread([h.p99_ms for h in halves], 2):>20} "
            f"{spread([h.p50_ms for h in halves], 2):>18} "
            f"{sum(t.errors + h.errors for t, h in zip(tops, halves, strict=True))}"
        )
    print()
    print(f"{'peak req/s by connections (medians)':<48} " + "".join(f"{n:>9}" for n in levels))
    for label, runs in results.items():
        rates = [statistics.median(run.by_connections[n] for run in runs) for n in levels]
        print(f"{label:<48} " + "".join(f"{rate:>9.0f}" for rate in rates))
    base = statistics.median(run.top.rate for run in results[PLAIN])
    fewest = min(levels)
    base_fewest = statistics.median(run.by_connections[fewest] for run in results[PLAIN])
    print()
    for backend in backends:
        for label in SCENARIOS:
            runs = results[f"liqueue {backend}: {label}"]
            rate = statistics.median(run.top.rate for run in runs)
            at_fewest = statistics.median(run.by_connections[fewest] for run in runs)
            print(
                f"liqueue {backend} {label}: {rate / base:.0%} of the plain endpoint's "
                f"peak rate of (a) ({at_fewest / base_fewest:.0%} at {fewest} connections)"
            )


def in_process(requests: int, postgres: bool) -> None:
    import asyncio

    import plain_page
    import uvloop

    from liqueue.app import App
    from liqueue.web.application import create_app

    print("command:", shlex.join([Path(sys.executable).name, *sys.argv]))
    print("load average before:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    uvloop.install()
    backends = ["sqlite"] + (["postgresql"] if postgres else [])
    with tempfile.TemporaryDirectory(prefix="liqueue-bench-serve-") as tmp:
        root = make_app(Path(tmp) / "app")
        cost = asyncio.run(_cpu_per_request(plain_page.app, GET_PLAIN, requests))
        print(f"{'plain Starlette + python-liquid, page (a)':<48} {cost:7.1f} us CPU/request")
        for backend in backends:
            with _database(backend, Path(tmp)) as url:
                opened = App(root, database_url=url)
                opened.store.migrate()
                app = create_app(opened)
                for label, request in (
                    ("(a) page, no tags", GET_PLAIN),
                    ("(b) page, one background tag", GET_ONE_JOB),
                    ("(c) POST, 3 jobs + 1 event", POST_ORDER),
                ):
                    cost = asyncio.run(_cpu_per_request(app, request, requests))
                    print(f"{f'liqueue {backend}: {label}':<48} {cost:7.1f} us CPU/request")
                opened.close()
    print("load average after:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


async def _cpu_per_request(app: Any, request: Request, requests: int) -> float:
    import asyncio

    headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"bench")]
    headers += [(k.lower().encode(), v.encode()) for k, v in request.headers]
    if request.body:
        headers.append((b"content-length", str(len(request.body)).encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": request.method, "scheme": "http", "path": request.path,
        "raw_path": request.path.encode(), "query_string": b"", "root_path": "",
        "headers": headers, "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip

    async def one() -> None:
        given = False

        async def receive() -> dict[str, Any]:
            nonlocal given
            if given:
                await asyncio.Event().wait()  # no disconnect while the response is sent
            given = True
            return {"type": "http.request", "body": request.body or b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and message["status"] >= 400:
                raise RuntimeError(f"{request.method} {request.path}: {message['status']}")

        await app({**scope, "state": {}}, receive, send)

    async def client(count: int) -> None:
        for _ in range(count):
            await one()

    at_once = IN_PROCESS_CONCURRENCY
    await asyncio.gather(*(client(200 // at_once) for _ in range(at_once)))  # warm up
    started = time.process_time()
    await asyncio.gather(*(client(requests // at_once) for _ in range(at_once)))
    done = requests // at_once * at_once
    return (time.process_time() - started) / done * 1e6


@contextmanager
def _database(backend: str, tmp: Path) -> Iterator[str]:
    if backend == "sqlite":
        path = tmp / f"q-{uuid.uuid4().hex[:6]}.db"
        yield f"sqlite:///{path}"
        return
    with postgres_database() as url:
        yield url


if __name__ == "__main__":
    main()
