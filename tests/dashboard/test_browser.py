"""A real browser (Chromium through Playwright) uses the dashboard served by `liqueue serve`.

It finds a dead job, reads its error and body, fixes the partial and
retries it, then pauses a source and watches its jobs wait. Screenshots of
the main pages are taken on the way; with LIQUEUE_UPDATE_SCREENSHOTS=1 they
replace those in docs/, so they follow the pages (otherwise they go to the
test's own directory: a test run leaves the tree as it found it).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx

from tests.web.conftest import Serve, write_app
from tests.web.test_browser import WAIT_MS

DOCS = Path(__file__).resolve().parents[2] / "docs"
UPDATE_SCREENSHOTS = os.environ.get("LIQUEUE_UPDATE_SCREENSHOTS") == "1"
BROKEN = "{% assign total = amount | times: 2 %}{{ total | no_such_filter }}"
FIXED = "{% assign total = amount | times: 2 %}{% log total %}"
FILES = {
    "app/views/pages/index.liquid": "home",
    "app/views/pages/checkout.liquid": """{% background source_name: 'payment_charge_card', max_attempts: 1, amount: 21 %}
  {% render 'charge', amount: amount %}
{% endbackground %}
{% background source_name: 'report_build_daily', day: 'monday' %}{% log 'report built' %}{% endbackground %}
ok""",
    "app/views/partials/charge.liquid": BROKEN,
    "liqueue.yml": "poll_interval: 0.2\n",
}


def _wait_until(check: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def _states(url: str, source: str) -> list[str]:
    jobs = httpx.get(url + "/_liqueue/api/jobs", params={"source_name": source}).json()["jobs"]
    return [job["state"] for job in jobs]


def test_find_a_dead_job_fix_it_retry_it_then_pause_a_source(
    tmp_path: Path, serve: Serve, browser: object
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    root = write_app(tmp_path / "shop", FILES)
    shots = DOCS if UPDATE_SCREENSHOTS else tmp_path
    server = serve(root, "--with-worker")
    httpx.get(server.url + "/checkout").raise_for_status()
    _wait_until(lambda: _states(server.url, "payment_charge_card") == ["dead"])
    _wait_until(lambda: _states(server.url, "report_build_daily") == ["done"])

    page = browser.new_page(viewport={"width": 1000, "height": 700})
    page.set_default_timeout(WAIT_MS)
    page.goto(server.url + "/_liqueue/")
    expect(page.locator(".card.dead b")).to_have_text("1")
    page.screenshot(path=str(shots / "dashboard-overview.png"))
    page.locator(".card.dead").click()
    page.wait_for_url("**/_liqueue/jobs?state=dead")
    expect(page.locator("table.jobs tr.dead")).to_have_count(1)
    page.screenshot(path=str(shots / "dashboard-jobs.png"))
    page.locator("table.jobs tr.dead a").click()
    expect(page.locator(".error-box")).to_contain_text("no_such_filter")
    expect(page.locator("pre.body")).to_contain_text("{% render 'charge', amount: amount %}")
    page.screenshot(path=str(shots / "dashboard-job.png"), full_page=True)

    (root / "app/views/partials/charge.liquid").write_text(FIXED)
    page.get_by_role("button", name="retry").click()
    expect(page.locator(".notice")).to_contain_text("retry: 1 of 1 job(s) changed")
    _wait_until(lambda: _states(server.url, "payment_charge_card") == ["done"])
    page.reload()
    expect(page.locator("table.fields")).to_contain_text("done")

    page.goto(server.url + "/_liqueue/queues")
    page.fill("input[name='name']", "report_build_daily")
    page.get_by_role("button", name="pause source").click()
    expect(page.locator(".paused")).to_contain_text("report_build_daily")
    httpx.get(server.url + "/checkout").raise_for_status()
    _wait_until(lambda: _states(server.url, "payment_charge_card") == ["done", "done"])
    time.sleep(1.0)  # several poll intervals: a paused job must still wait
    assert _states(server.url, "report_build_daily") == ["scheduled", "done"]
    page.goto(server.url + "/_liqueue/jobs?source_name=report_build_daily")
    expect(page.locator("table.jobs tr.scheduled")).to_have_count(1)
    expect(page.locator(".paused")).to_be_visible()
    page.goto(server.url + "/_liqueue/queues")
    page.screenshot(path=str(shots / "dashboard-queues.png"))
    page.get_by_role("button", name="resume").click()
    expect(page.locator(".paused")).to_have_count(0)
    _wait_until(lambda: _states(server.url, "report_build_daily") == ["done", "done"])

    page.goto(server.url + "/_liqueue/stats?window=1h")
    expect(page.locator("table.stats")).to_contain_text("payment_charge_card")
    page.screenshot(path=str(shots / "dashboard-stats.png"))
    page.goto(server.url + "/_liqueue/logs?type=audit")
    expect(page.locator("#log-lines")).to_contain_text("resume source_name report_build_daily")
