"""A real browser (Debian's Chromium through Playwright) places an order in the served shop.

Locally the test skips when /usr/bin/chromium is missing; under CI=true it
must run (scripts/test installs chromium there).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import Serve
from tests.web.test_served_apps import wait_for_jobs

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
WAIT_MS = 15_000


@pytest.fixture
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: scripts/test installs it under CI=true")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_a_browser_places_an_order_and_its_jobs_run(
    shop_dir: Path, serve: Serve, browser: object
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    server = serve(shop_dir, "--with-worker")
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(server.url + "/products")
    expect(page.locator("h1")).to_have_text("Products")
    page.get_by_role("link", name="Coffee beans").click()
    page.wait_for_url("**/checkout?product_id=2")
    expect(page.locator("select")).to_have_value("2")
    page.fill("input[name='order[email]']", "dee@example.com")
    page.get_by_role("button", name="Place order").click()
    page.wait_for_url("**/orders/*")
    order_id = page.locator(".order-id").inner_text()
    assert page.url == f"{server.url}/orders/{order_id}"
    assert "Your order" in page.title()
    done = wait_for_jobs(shop_dir, order_id, 5)
    assert "payment_process_charge" in done and "email_order_confirmation" in done
    assert len(done) == 5
