"""http.allow / http.deny and the addresses no call reaches unless named, against a real
server on 127.0.0.1 (refused hosts are refused before any connection is made)."""

from __future__ import annotations

import pytest

from liqueue.api_calls.safety import HostPolicy, HostRefused
from liqueue.app import App
from liqueue.errors import TemplateError
from tests.api_calls.conftest import ShopDir
from tests.api_calls.local_server import LocalServer, Reply

PAGE = "{% api_call r = 'hit', data: params %}{{ r.body }}"


def _app(app_dir: ShopDir, server: LocalServer, http: str) -> App:
    app_dir.config(http)
    app_dir.definition("hit", '---\nto: "{{ data.url }}"\n---\n')
    app_dir.page("p", PAGE)
    server.route("/x", Reply(200, "reached"))
    return App(app_dir.root)


def test_loopback_is_refused_unless_allowed(app_dir: ShopDir, server: LocalServer) -> None:
    with _app(app_dir, server, "") as app, pytest.raises(TemplateError) as caught:
        app.render("p", {"url": server.url("/x")})
    assert "127.0.0.1 is a loopback address" in caught.value.message
    assert "http.allow" in caught.value.message
    assert server.requests() == []


@pytest.mark.parametrize("allow", ["127.0.0.1", "127.0.0.0/8", "localhost"])
def test_loopback_allowed_by_address_network_or_name(
    app_dir: ShopDir, server: LocalServer, allow: str
) -> None:
    host = "localhost" if allow == "localhost" else "127.0.0.1"
    url = f"http://{host}:{server.port}/x"
    with _app(app_dir, server, f"http:\n  allow: ['{allow}']\n") as app:
        assert app.render("p", {"url": url}).output == "reached"


def test_a_wildcard_does_not_open_guarded_addresses(app_dir: ShopDir, server: LocalServer) -> None:
    with _app(app_dir, server, "http:\n  allow: ['*']\n") as app, pytest.raises(TemplateError):
        app.render("p", {"url": f"http://localhost:{server.port}/x"})
    assert server.requests() == []


def test_deny_wins_over_allow(app_dir: ShopDir, server: LocalServer) -> None:
    http = "http:\n  allow: [127.0.0.1, localhost]\n  deny: [localhost]\n"
    with _app(app_dir, server, http) as app:
        assert app.render("p", {"url": server.url("/x")}).output == "reached"
        with pytest.raises(TemplateError, match=r"host localhost is denied by http\.deny"):
            app.render("p", {"url": f"http://localhost:{server.port}/x"})


def test_allow_list_restricts_to_its_hosts(app_dir: ShopDir, server: LocalServer) -> None:
    allow = "http:\n  allow: [127.0.0.1]\n"
    with _app(app_dir, server, allow) as app, pytest.raises(TemplateError) as caught:
        app.render("p", {"url": "http://10.1.2.3/x"})
    assert "host 10.1.2.3 is not in http.allow" in caught.value.message


@pytest.mark.parametrize(
    ("address", "what"),
    [
        ("169.254.169.254", "a link-local address"),
        ("[fd00:ec2::254]", "the cloud metadata address"),
        ("[::ffff:169.254.169.254]", "a link-local address"),
        ("0.0.0.0", "an unspecified address"),
    ],
)
def test_metadata_and_link_local_addresses_are_refused(address: str, what: str) -> None:
    with pytest.raises(HostRefused, match=what):
        HostPolicy(allow=["*"]).check(address, 80)


def test_metadata_address_can_be_allowed_explicitly() -> None:
    assert HostPolicy(allow=["169.254.169.254"]).check("169.254.169.254", 80) == "169.254.169.254"


def test_wildcards_match_subdomains_only() -> None:
    policy = HostPolicy(deny=["*.example.com"])
    with pytest.raises(HostRefused):
        policy.check("api.example.com", 443)
