"""`liqueue serve` as a real process: `--reload`, routes that change while it
runs, and who sees the detailed error page when it listens beyond loopback."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import Serve, write_app

RELOAD_WAIT_SECONDS = 30.0  # a restart on a loaded machine; the wait ends at the first success

BROKEN = "---\nlayout: ''\n---\nline one\n  {{ 'x' | no_such_filter }}\n"


def _wait_until(check: Callable[[], bool], what: str, output: Callable[[], str]) -> None:
    deadline = time.monotonic() + RELOAD_WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except httpx.TransportError:
            pass  # between the old server process and the new one
        time.sleep(0.2)
    raise AssertionError(
        f"not {what} within {RELOAD_WAIT_SECONDS:g}s; the server said:\n{output()}"
    )


def test_reload_restarts_on_a_settings_change_and_serves_a_new_page(
    tmp_path: Path, serve: Serve
) -> None:
    root = write_app(
        tmp_path / "app",
        {
            "liqueue.yml": "constants:\n  greeting: first\n",
            "app/views/pages/index.liquid": "{{ context.constants.greeting }}",
        },
    )
    server = serve(root, "--reload")
    url = server.url
    assert httpx.get(url + "/", timeout=5).text.strip() == "first"

    # liqueue.yml is read when the App opens: only a restart of the server process shows this.
    (root / "liqueue.yml").write_text("constants:\n  greeting: second\n")
    _wait_until(
        lambda: httpx.get(url + "/", timeout=5).text.strip() == "second",
        "serving the changed liqueue.yml",
        server.output,
    )
    assert "Reloading" in server.output() or "reloading" in server.output().lower()

    (root / "app/views/pages/added.liquid").write_text("a new page")
    _wait_until(
        lambda: httpx.get(url + "/added", timeout=5).text.strip() == "a new page",
        "serving the page added while running",
        server.output,
    )
    assert server.stop() == 0


def _outside_address() -> str | None:
    """An address of this machine other than loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_development_details_show_only_to_loopback_clients(tmp_path: Path, serve: Serve) -> None:
    root = write_app(
        tmp_path / "app",
        {
            # environment is left unset: development, the default
            "liqueue.yml": "dashboard:\n  enabled: false\n",
            "app/views/pages/index.liquid": BROKEN,
        },
    )
    server = serve(root, "--host", "0.0.0.0")

    local = httpx.get(server.url + "/", timeout=5)
    assert local.status_code == 500
    assert "no_such_filter }}</span>" in local.text  # the excerpt, for the developer here

    # A proxy on this machine (uvicorn trusts 127.0.0.1's X-Forwarded-For) names its client.
    proxied = httpx.get(server.url + "/", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=5)
    assert proxied.status_code == 500
    assert "no_such_filter" not in proxied.text and "Internal Server Error" in proxied.text

    address = _outside_address()
    if address is None:
        pytest.skip("this machine has no address but loopback to request from")
    remote = httpx.get(f"http://{address}:{server.port}/", timeout=5)
    assert remote.status_code == 500
    assert "no_such_filter" not in remote.text and "Internal Server Error" in remote.text
    assert "no_such_filter" in server.output()  # the server log keeps the detail


def test_a_changed_slug_answers_at_once_and_the_old_one_stops(tmp_path: Path, serve: Serve) -> None:
    root = write_app(
        tmp_path / "app",
        {"app/views/pages/page.liquid": "---\nslug: before\nlayout: ''\n---\nthe page"},
    )
    server = serve(root)
    assert httpx.get(server.url + "/before", timeout=5).text.strip() == "the page"
    (root / "app/views/pages/page.liquid").write_text("---\nslug: after\nlayout: ''\n---\nmoved")
    # A miss re-checks the route table whatever its age.
    assert httpx.get(server.url + "/after", timeout=5).text.strip() == "moved"
    assert httpx.get(server.url + "/before", timeout=5).status_code == 404
