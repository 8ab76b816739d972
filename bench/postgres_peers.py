"""The PostgreSQL peers, driven the same way as liqueue: a worker process per CLI call.

    python postgres_peers.py pgqueuer install DSN
    python postgres_peers.py pgqueuer enqueue DSN N            # one batch of N
    python postgres_peers.py pgqueuer enqueue_realistic DSN N  # N realistic jobs (pgqueuer)
    python postgres_peers.py pgqueuer drain DSN OUT [C]        # run until empty, exit
    python postgres_peers.py pgqueuer serve DSN OUT [C]        # run until SIGTERM
    python postgres_peers.py pgqueuer pickups DSN OUT N GAP    # N single enqueues, each
        waited for in OUT (a `serve` worker's file), GAP s apart; prints the enqueue times
    (the same with procrastinate)

The job is the same trivial work as liqueue's benchmark body (n + 1). Each
worker process records when each job's handler ran (time.time() after the
work, i.e. before the peer acknowledges it, as liqueue's finished_at is
taken before the completion is written) and writes `[[start, end], ...]`
as JSON to OUT (drain: at exit; serve: one line per job, flushed).
Peers run with their documented defaults except the concurrency given.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from typing import Any, TextIO

from realistic_job import PAYLOAD, configure_logging, python_twin

TIMES: list[tuple[float, float]] = []


def _record(started: float, stream: TextIO | None) -> None:
    ended = time.time()
    TIMES.append((started, ended))
    if stream is not None:
        stream.write(f"{started} {ended}\n")
        stream.flush()


async def pickups(enqueue: Any, args: list[str]) -> None:
    """Enqueue N jobs one at a time, each after the worker went idle; print when each was sent."""
    out, count, gap = args[0], int(args[1]), float(args[2])
    sent: list[float] = []
    for n in range(count):
        await asyncio.sleep(gap)
        sent.append(time.time())
        await enqueue()
        deadline = time.monotonic() + 10
        while _lines(out) <= n:
            if time.monotonic() > deadline:
                raise SystemExit(f"job {n} not picked up within 10 s")
            await asyncio.sleep(0.001)
    print(json.dumps(sent))


def _lines(path: str) -> int:
    try:
        with open(path) as handle:
            return sum(1 for _ in handle)
    except FileNotFoundError:
        return 0


# pgqueuer ---------------------------------------------------------------------


async def pgqueuer_main(action: str, dsn: str, args: list[str]) -> None:
    import asyncpg  # type: ignore[import-untyped]
    from pgqueuer import AsyncpgDriver, QueueManager
    from pgqueuer.models import Job
    from pgqueuer.queries import Queries
    from pgqueuer.types import QueueExecutionMode

    conn = await asyncpg.connect(dsn)
    driver = AsyncpgDriver(conn)
    queries = Queries(driver)
    if action == "install":
        await queries.install()
        return
    if action == "enqueue":
        count = int(args[0])
        payloads: list[bytes | None] = [str(n).encode() for n in range(count)]
        await queries.enqueue(["trivial"] * count, payloads, [0] * count)
        return
    if action == "enqueue_realistic":
        count = int(args[0])
        payload = PAYLOAD.encode()
        await queries.enqueue(["realistic"] * count, [payload] * count, [0] * count)
        return
    if action == "single":  # enqueue N jobs one call each; print jobs/s
        count = int(args[0])
        started = time.perf_counter()
        for n in range(count):
            await queries.enqueue("trivial", str(n).encode())
        print(count / (time.perf_counter() - started))
        return
    if action == "batch":  # R batches of N jobs; print each batch's seconds
        count, repeat = int(args[0]), int(args[1])
        for _ in range(repeat):
            payloads = [str(n).encode() for n in range(count)]
            started = time.perf_counter()
            await queries.enqueue(["trivial"] * count, payloads, [0] * count)
            print(time.perf_counter() - started)
        return
    if action == "pickups":

        async def enqueue() -> None:
            await queries.enqueue("trivial", b"0")

        await pickups(enqueue, args)
        return
    out, concurrency = args[0], int(args[1]) if len(args) > 1 else 0
    stream = open(out, "a") if action == "serve" else None  # noqa: SIM115
    qm = QueueManager(queries)

    @qm.entrypoint("trivial")
    async def trivial(job: Job) -> None:
        started = time.time()
        _ = int(job.payload or b"0") + 1
        _record(started, stream)

    @qm.entrypoint("realistic")
    async def realistic(job: Job) -> None:
        started = time.time()
        python_twin(job.payload or b"{}")
        _record(started, stream)

    if action == "serve":
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, qm.shutdown.set)
        await qm.run(max_concurrent_tasks=concurrency or None)
    else:
        await qm.run(mode=QueueExecutionMode.drain, max_concurrent_tasks=concurrency or None)
        with open(out, "w") as handle:
            json.dump(TIMES, handle)


# procrastinate ----------------------------------------------------------------


def procrastinate_app(dsn: str) -> Any:
    import procrastinate

    return procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=dsn))


async def procrastinate_main(action: str, dsn: str, args: list[str]) -> None:
    app = procrastinate_app(dsn)
    stream: TextIO | None = None

    @app.task(name="trivial")  # type: ignore[untyped-decorator]
    async def trivial(n: int) -> None:
        started = time.time()
        _ = n + 1
        _record(started, stream)

    async with app.open_async():
        if action == "install":
            await app.schema_manager.apply_schema_async()
            return
        if action == "enqueue":
            count = int(args[0])
            await trivial.batch_defer_async(*({"n": n} for n in range(count)))
            return
        if action == "single":
            count = int(args[0])
            started = time.perf_counter()
            for n in range(count):
                await trivial.defer_async(n=n)
            print(count / (time.perf_counter() - started))
            return
        if action == "pickups":

            async def enqueue() -> None:
                await trivial.defer_async(n=0)

            await pickups(enqueue, args)
            return
        if action == "batch":
            count, repeat = int(args[0]), int(args[1])
            for _ in range(repeat):
                started = time.perf_counter()
                await trivial.batch_defer_async(*({"n": n} for n in range(count)))
                print(time.perf_counter() - started)
            return
        out, concurrency = args[0], int(args[1]) if len(args) > 1 else 1
        if action == "serve":
            stream = open(out, "a")  # noqa: SIM115
            await app.run_worker_async(concurrency=concurrency, install_signal_handlers=True)
        else:
            await app.run_worker_async(concurrency=concurrency, wait=False)
            with open(out, "w") as handle:
                json.dump(TIMES, handle)


def main(argv: list[str]) -> None:
    configure_logging(os.environ.get("BENCH_PEER_LOG", os.devnull))
    peer, action, dsn, *rest = argv
    runner = {"pgqueuer": pgqueuer_main, "procrastinate": procrastinate_main}[peer]
    asyncio.run(runner(action, dsn, rest))


if __name__ == "__main__":
    main(sys.argv[1:])
