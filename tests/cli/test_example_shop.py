"""examples/shop: every page renders through the CLI and queues what its guide section shows."""

from __future__ import annotations

import re
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from liqueue.app import App
from liqueue.clock import ManualClock
from liqueue.jobs import JobState
from liqueue.services import running_services
from liqueue.store import JobQuery
from liqueue.testing import drain
from tests.cli.conftest import Run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"

# page -> source names it queues (consumers of order.created included)
PAGES = {
    "retry-strategies": {"unreliable_api", "processing_order", "payment_gateway", "send_email",
                         "analytics_log"},
    "staggered": {"send_batch_email"},
    "time-based": {"scheduled_notification"},
    "delayed-chain": {"process_order", "send_confirmation", "send_followup"},
    "events-combined": {"send_order_confirmation", "consumers/order.created/inventory_sync",
                        "consumers/order.created/send_confirmation",
                        "consumers/order.created/track_analytics"},
    "complex-workflow": {"send_email", "track_conversion", "consumers/order.created/inventory_sync",
                         "consumers/order.created/send_confirmation",
                         "consumers/order.created/track_analytics"},
    "structured-logging": {"monitored_job"},
    "priority-balancing": {"critical_1", "standard_2", "standard_3", "critical_4"},
    "batching": {"process_batch"},
    "delayed-aggregation": {"aggregated_batch"},
    "idempotency": {"idempotent_charge"},
    "state-check": {"safe_state_change"},
    "cleanup": {"operation_with_cleanup"},
    "source-names": {"email_send_welcome", "payment_process_charge", "analytics_track_event", "job"},
    "testing-jobs": {"test_email"},
    "debugging": {"retry_job"},
    # pages a browser clicks through (`liqueue serve`): they queue nothing when only shown
    "products": set(),
    "checkout": set(),
}  # fmt: skip
ATTEMPT = re.compile(r"\[attempt \d/\d\] - \S+ - (SUCCESS|FAILED)")


def copy_shop(root: Path) -> Path:
    """The example shop at `root`, its service moved to a free loopback port."""
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".liqueue"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = root / "liqueue.yml"
    config.write_text(config.read_text().replace("8765", str(port)))
    return root


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[App]:
    with App(copy_shop(tmp_path / "shop")) as app:
        yield app


@pytest.fixture
def services(shop: App) -> Iterator[str]:
    """The shop's payment service, really running; yields its URL."""
    with running_services(shop.root, shop.config.services):
        yield str(shop.config.constants["services_url"])


def test_every_page_is_covered() -> None:
    pages = {p.stem for p in (EXAMPLE / "app/views/pages").glob("*.liquid")}
    assert pages == set(PAGES)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_renders_and_queues(run: Run, shop: App, page: str) -> None:
    result = run("render", shop.root, page)
    assert result.exit_code == 0, result.output
    assert {j.source_name for j in shop.store.list_jobs(JobQuery())} == PAGES[page]


def test_batch_size_param_makes_several_batches(run: Run, shop: App) -> None:
    run("render", shop.root, "batching", "--param", "batch_size=3")
    jobs = shop.store.list_jobs(JobQuery(source_name="process_batch"))
    assert sorted(j.arguments["batch_items"] for j in jobs) == ["[11,12,13]", "[14,15,16]", "[17]"]


def test_flaky_service_fails_twice_then_succeeds(run: Run, shop: App, services: str) -> None:
    run("render", shop.root, "retry-strategies")
    clock = ManualClock(time.time())
    with App(shop.root, clock=clock) as worker_app:
        for _ in range(4):
            drain(worker_app)
            clock.advance(10)  # past the example's short backoff (1s, 2s, 3s, 4s)
    lines = run("logs", shop.root, "--source-name", "processing_order").output.splitlines()
    assert [ATTEMPT.search(line).group(0) for line in lines if ATTEMPT.search(line)] == [  # type: ignore[union-attr]
        "[attempt 1/3] - processing_order - FAILED",
        "[attempt 2/3] - processing_order - FAILED",
        "[attempt 3/3] - processing_order - SUCCESS",
    ]
    assert f"POST {services}/flaky/" in lines[1]
    assert "answered 503" in lines[1] and "flaky service unavailable (call 2 of" in lines[1]
    assert "integration: called https://orders.example.com on attempt 3" in "\n".join(lines)


def test_cleanup_releases_the_reservation_then_dies(run: Run, shop: App, services: str) -> None:
    run("render", shop.root, "cleanup")
    drain(shop)
    (job,) = shop.store.list_jobs(JobQuery(state=JobState.DEAD))
    out = run("jobs", "show", shop.root, job.id).output
    failure = f"POST {services}/flaky/operation-77?failures=1000 answered 503"
    assert f"cleanup: released res_1 after: {failure}" in out
    assert failure in out.split("\nattempts:\n")[1]
    assert httpx.get(f"{services}/reservations").json() == []  # cleaned up for real


def test_idempotent_charge_retried_three_times_charges_once(
    run: Run, shop: App, services: str
) -> None:
    run("render", shop.root, "idempotency")
    clock = ManualClock(time.time())
    with App(shop.root, clock=clock) as worker_app:
        for _ in range(4):
            drain(worker_app)
            clock.advance(10)
    (job,) = shop.store.list_jobs(JobQuery(source_name="idempotent_charge"))
    assert (job.state, job.attempt) == (JobState.DONE, 3)
    charges = httpx.get(f"{services}/charges").json()
    assert [(c["order_id"], c["key"]) for c in charges] == [(1005, "1005-2026-11-28T12:00:00Z")]
    out = run("logs", shop.root, "--source-name", "idempotent_charge").output
    assert out.count("payment: charging order 1005") == 3
    assert out.count(f"payment: order 1005 was already charged: {charges[0]['id']}") == 2


def test_debugging_without_an_email_dies_after_three_attempts(run: Run, shop: App) -> None:
    run("render", shop.root, "debugging", "--param", 'user={"id": 8}')
    clock = ManualClock(time.time())
    with App(shop.root, clock=clock) as worker_app:
        for _ in range(4):
            drain(worker_app)
            clock.advance(10)
    (job,) = shop.store.list_jobs(JobQuery(source_name="retry_job"))
    assert (job.state, job.attempt) == (JobState.DEAD, 3)
    assert job.error_message == "no email given for user 8"


@pytest.mark.usefixtures("services")
def test_idempotency_key_and_state_check_are_logged(run: Run, shop: App) -> None:
    run("render", shop.root, "idempotency")
    run("render", shop.root, "state-check")
    run("render", shop.root, "state-check", "--param", 'entity={"id": 9, "state": "shipped"}')
    drain(shop)
    out = run("logs", shop.root).output
    assert "payment: charging order 1005 with idempotency key 1005-2026-11-28T12:00:00Z" in out
    assert "state: entity 42: pending -> processing" in out
    assert "state: entity 9 is shipped, not pending: left unchanged" in out


def test_order_created_schema(run: Run, shop: App) -> None:
    assert run("trigger", shop.root, "order.created", "--data", "{}").exit_code == 1
    ok = run("trigger", shop.root, "order.created", "--data", '{"order_id": 5}')
    assert ok.exit_code == 0
    assert ok.output.count("consumers/order.created/") == 3
