"""The example shop and the `liqueue new` scaffold, served as they are."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx

from liqueue.app import App
from liqueue.jobs import JobState
from liqueue.scaffold import create_app
from liqueue.store import JobQuery
from tests.cli.conftest import Run
from tests.web.conftest import Serve, write_app


def wait_for_jobs(app_dir: Path, order_id: str, count: int, timeout: float = 60.0) -> list[str]:
    """Poll the store until `count` jobs of the order are done; their source names."""
    deadline = time.monotonic() + timeout
    with App(app_dir) as app:
        while True:
            # the order's own jobs pass order_id; its consumers get it inside `event`
            jobs = [
                j for j in app.store.list_jobs(JobQuery(limit=1000)) if order_id in str(j.arguments)
            ]
            done = [j for j in jobs if j.state == JobState.DONE]
            if len(done) >= count or time.monotonic() > deadline:
                return sorted(j.source_name for j in done)
            time.sleep(0.2)


def test_the_shop_takes_an_order_and_its_jobs_run(shop_dir: Path, serve: Serve) -> None:
    server = serve(shop_dir, "--with-worker")
    with httpx.Client(base_url=server.url, timeout=10.0) as client:
        products = client.get("/products")
        assert products.status_code == 200 and "Green tea" in products.text
        form = client.get("/checkout?product_id=2")
        token = re.search(r'name="authenticity_token" value="([^"]+)"', form.text)
        assert token is not None
        placed = client.post(
            "/checkout",
            data={"authenticity_token": token.group(1), "order[product_id]": "2",
                  "order[quantity]": "1", "order[email]": "bo@example.com"},
        )  # fmt: skip
        assert placed.status_code == 302
        order_id = placed.headers["location"].removeprefix("/orders/")
        page = client.get(placed.headers["location"])
        assert f'<span class="order-id">{order_id}</span>' in page.text
        assert client.get("/retry-strategies").status_code == 200  # the guide's pages too
    done = wait_for_jobs(shop_dir, order_id, 5)
    assert done == [
        "consumers/order.created/inventory_sync",
        "consumers/order.created/send_confirmation",
        "consumers/order.created/track_analytics",
        "email_order_confirmation",
        "payment_process_charge",
    ]


def test_a_checkout_without_email_goes_back_to_the_form(shop_dir: Path, serve: Serve) -> None:
    server = serve(shop_dir)
    with httpx.Client(base_url=server.url, timeout=10.0) as client:
        token = re.search(r'value="([^"]+)"', client.get("/checkout").text)
        assert token is not None
        back = client.post(
            "/checkout", data={"authenticity_token": token.group(1)}, follow_redirects=True
        )
        assert "an email is needed" in back.text
    with App(shop_dir) as app:
        assert not app.store.list_jobs(JobQuery())


def test_the_scaffold_serves_at_once(tmp_path: Path, serve: Serve) -> None:
    create_app(tmp_path / "fresh")
    server = serve(tmp_path / "fresh")
    response = httpx.get(server.url + "/", params={"email": "cy@example.com"})
    assert response.status_code == 200
    assert "Welcome, cy@example.com" in response.text
    with App(tmp_path / "fresh") as app:
        assert {j.source_name for j in app.store.list_jobs(JobQuery())} >= {"email_send_reminder"}


def test_two_pages_on_one_route_is_a_check_error(tmp_path: Path, run: Run) -> None:
    root = write_app(tmp_path / "clash", {
        "app/views/pages/orders/show.liquid": "---\nslug: orders/:id\n---\na",
        "app/views/pages/orders/view.liquid": "---\nslug: orders/:order_id\n---\nb",
        "app/views/pages/search.liquid": "---\nslug: search(/:q)\n---\nc",
        "app/views/pages/search/index.liquid": "d",
        "app/views/pages/bad.liquid": "---\nmethod: fetch\n---\ne",
    })  # fmt: skip
    result = run("check", root)
    assert result.exit_code == 1
    assert (
        "app/views/pages/orders/view.liquid: error: GET /orders/:order_id is also claimed by "
        "app/views/pages/orders/show.liquid" in result.output
    )
    assert "is also claimed by app/views/pages/search.liquid" in result.output
    assert "app/views/pages/bad.liquid:2:1: error: unknown method 'fetch'" in result.output
