"""/metrics in Prometheus text format and /healthz, from counters the store keeps.

Each scrape reads job_counts, attempt_counts, the workers table and three
index probes for latency: a few dozen rows whatever the number of jobs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from liqueue.errors import LiqueueError
from liqueue.jobs import JobState, Priority
from liqueue.store.overview import ABOVE_LAST, BUCKETS_MS
from liqueue.web.dashboard.access import Identity
from liqueue.web.dashboard.guard import JSONOut
from liqueue.worker.registry import GONE_AFTER_SECONDS

if TYPE_CHECKING:
    from liqueue.app import App


class QueueCollector(Collector):
    def __init__(self, app: App) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        store, now = self.app.store, self.app.clock.now()
        jobs = GaugeMetricFamily(
            "liqueue_jobs", "Jobs by state and priority.", labels=["state", "priority"]
        )
        totals = {(s.value, p.value): 0 for s in JobState for p in Priority}
        for count in store.job_counts():
            totals[(count.state.value, count.priority.value)] += count.count
        for (state, priority), n in totals.items():
            jobs.add_metric([state, priority], n)
        yield jobs

        attempts = CounterMetricFamily(
            "liqueue_attempts", "Finished attempts by source_name and outcome.",
            labels=["source_name", "outcome"],
        )  # fmt: skip
        durations = HistogramMetricFamily(
            "liqueue_attempt_duration_seconds", "Attempt durations.", labels=["source_name"]
        )
        by_outcome: dict[tuple[str, str], int] = {}
        by_bucket: dict[str, dict[int, int]] = {}
        sums: dict[str, int] = {}
        for row in store.attempt_counts():
            outcome = "success" if row.status == "SUCCESS" else "failure"
            key = (row.source_name, outcome)
            by_outcome[key] = by_outcome.get(key, 0) + row.count
            buckets = by_bucket.setdefault(row.source_name, {})
            buckets[row.le_ms] = buckets.get(row.le_ms, 0) + row.count
            sums[row.source_name] = sums.get(row.source_name, 0) + row.sum_ms
        for (source, outcome), n in sorted(by_outcome.items()):
            attempts.add_metric([source, outcome], n)
        for source, buckets in sorted(by_bucket.items()):
            running = 0
            cumulative: list[tuple[str, float]] = []
            for bound in BUCKETS_MS:
                running += buckets.get(bound, 0)
                cumulative.append((repr(bound / 1000), running))
            cumulative.append(("+Inf", running + buckets.get(ABOVE_LAST, 0)))
            durations.add_metric([source], cumulative, sum_value=sums[source] / 1000)
        yield attempts
        yield durations

        latency = GaugeMetricFamily(
            "liqueue_queue_latency_seconds",
            "How long the oldest due job of each priority has waited (0: none due).",
            labels=["priority"],
        )
        for priority, wait in store.queue_latency(now).items():
            latency.add_metric([priority], wait or 0.0)
        yield latency

        alive = sum(1 for w in store.list_workers() if now - w.heartbeat_at <= GONE_AFTER_SECONDS)
        yield GaugeMetricFamily("liqueue_workers_alive", "Workers heartbeating.", value=alive)
        yield GaugeMetricFamily(
            "liqueue_pauses", "Paused priorities and source_names.", value=len(store.list_pauses())
        )


def render_metrics(app: App) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(QueueCollector(app))
    return generate_latest(registry)


def metrics_endpoint(app: App) -> Callable[[Request, Identity], Awaitable[Response]]:
    async def metrics(_request: Request, _: Identity) -> Response:
        body = await run_in_threadpool(render_metrics, app)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return metrics


async def healthz(app: App) -> Response:
    def check() -> tuple[int, int]:
        app.store.check_schema()
        return app.store.schema_version()

    try:
        version, _ = await run_in_threadpool(check)
    except LiqueueError as err:
        return JSONOut({"status": "unhealthy", "error": str(err)}, status_code=503)
    return JSONOut({"status": "ok", "schema_version": version})
