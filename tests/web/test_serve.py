"""`liqueue serve` as a real process, driven over HTTP: routing, params, layouts,
redirects, CSRF, limits, errors and what each request queues."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from liqueue.app import App
from liqueue.store import JobQuery, LogQuery
from liqueue.web.pages import FILE_RECHECK_SECONDS
from liqueue.web.request_context import REQUEST_KEYS
from tests.web.conftest import write_app
from tests.web.server import ServerProcess

PAGES = {
    "liqueue.yml": "constants:\n  shop: test\n",
    "app/views/layouts/application.liquid": "<html><title>{% yield 'title' %}</title><body>{{ content_for_layout }}</body></html>",
    "app/views/layouts/plain.liquid": "[plain]{{ content_for_layout }}[/plain]",
    "app/views/pages/index.liquid": "home",
    "app/views/pages/a/b_c.liquid": "b-c page",
    "app/views/pages/bare.liquid": "---\nlayout: ''\n---\nno layout",
    "app/views/pages/other_layout.liquid": "---\nlayout: plain\n---\ninside",
    "app/views/pages/titled.liquid": "{% content_for 'title' %}My title{% endcontent_for %}body",
    "app/views/pages/orders.json.liquid": '{"ids": {{ params.ids | json }}}',
    "app/views/pages/orders/show.liquid": "---\nslug: orders/:id\nlayout: ''\n---\norder {{ context.params.id }}",
    "app/views/pages/orders/new.liquid": "---\nslug: orders/new\nlayout: ''\n---\nnew order form",
    "app/views/pages/search.liquid": "---\nslug: search(/:country)(/:city)\nlayout: ''\n---\n[{{ params.country }}|{{ params.city }}]",
    "app/views/pages/deep.liquid": "---\nmax_deep_level: 2\nlayout: ''\n---\n{{ context.location.pathname }}",
    "app/views/pages/old.liquid": "---\nredirect_to: /a/b-c\nredirect_code: 301\n---\nnever shown",
    "app/views/pages/go.liquid": "{% background source_name: 'before_redirect' %}{% log 'x' %}{% endbackground %}{% redirect_to '/orders/' | append: params.to %}",
    "app/views/pages/headers.liquid": "---\nlayout: ''\nresponse_headers:\n  X-From-Matter: matter\n---\n{% response_headers '{\"X-From-Tag\": \"b\"}' %}{% response_status 202 %}ok",
    "app/views/pages/matter_headers.liquid": "---\nlayout: ''\nformat: json\nresponse_headers:\n  X-From-Matter: m\n  content-type: application/x-own\n---\n{}",
    "app/views/pages/params.liquid": "---\nlayout: ''\nmethod: post\nformat: json\nslug: params/:id\n---\n{{ params | json }}",
    "app/views/pages/params_get.liquid": "---\nlayout: ''\nslug: params\n---\n{{ params | json }}",
    "app/views/pages/context.liquid": "---\nlayout: ''\nmetadata:\n  title: Ctx\n---\n{{ context.location | json }}\n{{ context.headers.REQUEST_METHOD }} {{ context.headers.HTTP_USER_AGENT }} {{ context.headers.HTTP_X_CUSTOM }}\n{{ context.page.slug }} {{ context.page.metadata.title }}\n{{ context.authenticity_token }}",
    "app/views/pages/whole_context.liquid": "---\nlayout: ''\n---\n{{ context | json }}",
    "app/views/pages/session_only.liquid": "---\nlayout: ''\n---\n[{{ context.session | json }}]",
    "app/views/pages/form.liquid": '---\nlayout: \'\'\n---\n<input name="authenticity_token" value="{{ context.authenticity_token }}">',
    "app/views/pages/orders/create.liquid": (
        "---\nslug: orders\nmethod: post\nlayout: ''\n---\n"
        "{% background source_name: 'charge', order_id: params.order.id %}{% log 'charged ' | append: order_id %}{% endbackground %}\n"
        "{% background source_name: 'email', order_id: params.order.id %}{% log 'mailed' %}{% endbackground %}\n"
        "{% log 'order placed', type: 'order' %}{% response_status 201 %}created {{ params.order.id }}"
    ),
    "app/views/pages/items/update.liquid": "---\nslug: items/:id\nmethod: put\nlayout: ''\n---\nput {{ params.id }}",
    "app/views/pages/items/destroy.liquid": "---\nslug: items/:id\nmethod: delete\nlayout: ''\n---\ndeleted {{ params.id }}",
    "app/views/pages/status_page.liquid": "---\nlayout: ''\n---\n{% background source_name: 'kept' %}{% log 'x' %}{% endbackground %}{% response_status 422 %}invalid",
    "app/views/pages/broken.liquid": "---\nlayout: ''\n---\n{% background source_name: 'lost' %}{% log 'x' %}{% endbackground %}\nline two\n  {{ 'x' | no_such_filter }}\n",
    "app/views/pages/raising.liquid": "---\nlayout: ''\n---\n{% background source_name: 'lost_too' %}{% log 'x' %}{% endbackground %}{% raise 'page gave up' %}",
    "app/views/pages/404.liquid": "---\nlayout: ''\n---\nour own 404 for {{ context.location.pathname }}",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    root = write_app(tmp_path_factory.mktemp("site") / "app", PAGES)
    server = ServerProcess(root)
    yield server
    server.stop()


@pytest.fixture
def client(site: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=10.0) as http:
        yield http


def app_of(site: ServerProcess) -> App:
    return App(site.app_dir)


def token_of(client: httpx.Client) -> str:
    found = re.search(r'value="([^"]+)"', client.get("/form").text)
    assert found is not None
    return found.group(1)


def test_paths_come_from_files_and_slugs(client: httpx.Client) -> None:
    assert "home" in client.get("/").text
    assert "b-c page" in client.get("/a/b-c").text
    assert client.get("/a/b_c").status_code == 404
    assert client.get("/orders/7").text.strip() == "order 7"
    assert client.get("/orders/new").text.strip() == "new order form"  # static beats :id
    assert client.get("/orders/7/").text.strip() == "order 7"
    assert [client.get(p).text.strip() for p in ("/search", "/search/fr", "/search/fr/paris")] == [
        "[|]",
        "[fr|]",
        "[fr|paris]",
    ]
    assert client.get("/deep/x/y").text.strip() == "/deep/x/y"
    assert client.get("/deep/x/y/z").status_code == 404


def test_format_from_the_name(client: httpx.Client) -> None:
    response = client.get("/orders.json", params={"ids[]": ["1", "2"]})
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"ids": ["1", "2"]}
    assert client.get("/").headers["content-type"] == "text/html; charset=utf-8"


def test_methods_head_and_405(client: httpx.Client) -> None:
    token = token_of(client)
    headers = {"X-CSRF-Token": token}
    assert client.put("/items/4", headers=headers).text.strip() == "put 4"
    assert client.delete("/items/4", headers=headers).text.strip() == "deleted 4"
    head = client.head("/a/b-c")
    assert head.status_code == 200 and head.content == b""
    refused = client.patch("/items/4", headers=headers)
    assert refused.status_code == 405
    assert refused.headers["allow"] == "DELETE, PUT"
    assert client.post("/a/b-c", headers=headers).headers["allow"] == "GET, HEAD"


def test_own_404_page(client: httpx.Client) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.text.strip() == "our own 404 for /nowhere"
    assert response.headers["cache-control"] == "no-store"


def test_layouts(client: httpx.Client) -> None:
    assert client.get("/a/b-c").text == "<html><title></title><body>b-c page</body></html>"
    assert client.get("/titled").text == "<html><title>My title</title><body>body</body></html>"
    assert client.get("/bare").text.strip() == "no layout"
    assert client.get("/other-layout").text.strip() == "[plain]\n\n\ninside[/plain]"


def test_redirects(client: httpx.Client) -> None:
    moved = client.get("/old")
    assert (moved.status_code, moved.headers["location"], moved.content) == (301, "/a/b-c", b"")
    tag = client.get("/go", params={"to": "9"})
    assert (tag.status_code, tag.headers["location"]) == (302, "/orders/9")
    assert client.get("/go", params={"to": "9"}, follow_redirects=True).text.strip() == "order 9"


def test_response_headers_and_status(client: httpx.Client) -> None:
    response = client.get("/headers")
    assert response.status_code == 202
    assert response.headers["x-from-matter"] == "matter"
    assert response.headers["x-from-tag"] == "b"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_200_with_front_matter_headers_only(client: httpx.Client) -> None:
    # Headers worked out once per route: the front matter's still win over the defaults.
    response = client.get("/matter-headers.json")
    assert response.status_code == 200
    assert response.headers["x-from-matter"] == "m"
    assert response.headers["content-type"] == "application/x-own"
    assert response.headers["content-length"] == str(len(response.content))
    head = client.head("/matter-headers.json")
    assert (head.headers["x-from-matter"], head.content) == ("m", b"")


def test_params_query_form_json_and_slug(client: httpx.Client) -> None:
    token = token_of(client)
    query = (
        "a=1&a=2&list[]=x&list[]=y&h[b][c]=d&people[][name]=ann&people[][age]=3&people[][name]=bob"
    )
    assert client.get(f"/params?{query}").json() == {
        "a": "2",
        "list": ["x", "y"],
        "h": {"b": {"c": "d"}},
        "people": [{"name": "ann", "age": "3"}, {"name": "bob"}],
    }
    form = client.post(
        "/params/5.json?q=1",
        data={
            "order[id]": "7",
            "order[lines][]": ["a", "b"],
            "id": "ignored",
            "authenticity_token": token,
        },
    ).json()
    assert form["order"] == {"id": "7", "lines": ["a", "b"]}
    assert (form["q"], form["id"]) == ("1", "5")  # the slug's :id wins
    as_json = client.post("/params/6.json", json={"order": {"id": 8, "paid": True}}).json()
    assert as_json == {"order": {"id": 8, "paid": True}, "id": "6"}


def test_request_context(client: httpx.Client, site: ServerProcess) -> None:
    lines = (
        client.get("/context?x=1", headers={"User-Agent": "tester/1", "X-Custom": "c"})
        .text.strip()
        .split("\n")
    )
    location = json.loads(lines[0])
    assert location["href"] == f"{site.url}/context?x=1"
    assert (location["pathname"], location["search"]) == ("/context", "?x=1")
    assert location["host"] == f"127.0.0.1:{site.port}"
    assert lines[1] == "GET tester/1 c"
    assert lines[2] == "context Ctx"
    assert len(lines[3]) > 20


def test_a_page_sees_every_key_of_its_request_it_may_read(client: httpx.Client) -> None:
    # Only the keys a page's text names are built; one handed `context` whole gets them all.
    whole = client.get("/whole-context", headers={"X-Custom": "c"}).json()
    assert set(REQUEST_KEYS) <= set(whole)
    assert whole["headers"]["HTTP_X_CUSTOM"] == "c"
    assert whole["page"]["slug"] == "whole-context"
    assert len(whole["authenticity_token"]) > 20
    assert client.get("/session-only").text.strip() == "[{}]"  # the token's key is not shown


def test_csrf(client: httpx.Client) -> None:
    missing = client.post("/orders", data={"order[id]": "1"})
    assert missing.status_code == 403
    assert "authenticity token" in missing.text
    assert (
        client.post("/orders", data={"order[id]": "1", "authenticity_token": "forged"}).status_code
        == 403
    )
    with httpx.Client(base_url=str(client.base_url)) as stranger:  # another session's token
        assert (
            stranger.post("/orders", data={"authenticity_token": token_of(client)}).status_code
            == 403
        )
    # a JSON body needs no token, but only counts as JSON with a JSON content type
    smuggled = client.post(
        "/orders", content=b'{"order": {"id": 1}}', headers={"content-type": "text/plain"}
    )
    assert smuggled.status_code == 403


def test_only_a_page_that_may_read_the_token_starts_a_session(site: ServerProcess) -> None:
    # Signing a cookie for every cookie-less request cost a tenth of a small page's time.
    with httpx.Client(base_url=site.url) as fresh:
        assert "set-cookie" not in fresh.get("/bare").headers
        assert "liqueue_session=" in fresh.get("/form").headers["set-cookie"]
        token = token_of(fresh)  # the same session: its token is kept
        assert "set-cookie" not in fresh.get("/bare").headers
        posted = fresh.post("/orders", data={"order[id]": "5", "authenticity_token": token})
        assert posted.status_code == 201


def test_limits(client: httpx.Client) -> None:
    token = token_of(client)
    large = client.post(
        "/params/1.json", content=b"x" * 1_000_001, headers={"content-type": "application/json"}
    )
    assert large.status_code == 413
    assert "larger than 1000000 bytes" in large.text
    many = client.get("/params?" + "&".join(f"k{i}=v" for i in range(1001)))
    assert many.status_code == 400 and "too many parameters" in many.text
    deep = client.get("/params?a" + "[x]" * 40 + "=1")
    assert deep.status_code == 400 and "nested too deep" in deep.text
    deep_json = client.post(
        "/params/1.json",
        content=b"[" * 50 + b"]" * 50,
        headers={"content-type": "application/json"},
    )
    assert deep_json.status_code == 400
    mixed = client.post("/params/1.json", data={"a": "1", "a[b]": "2", "authenticity_token": token})
    assert mixed.status_code == 400 and "both as a value and as a hash" in mixed.text


def test_a_rendered_request_queues_its_jobs_with_the_request(
    client: httpx.Client, site: ServerProcess
) -> None:
    token = token_of(client)
    response = client.post("/orders", data={"order[id]": "41", "authenticity_token": token})
    assert (response.status_code, response.text.strip()) == (201, "created 41")
    with app_of(site) as app:
        jobs = [j for j in app.store.list_jobs(JobQuery()) if j.arguments.get("order_id") == "41"]
        assert sorted(j.source_name for j in jobs) == ["charge", "email"]
        location = jobs[0].context["location"]
        assert (location["method"], location["url"], location["page"]) == (
            "POST",
            f"{site.url}/orders",
            "orders/create",
        )
        assert any(e.message == "order placed" for e in app.store.read_logs(LogQuery()))


def test_a_status_the_page_sets_still_counts_as_rendered(
    client: httpx.Client, site: ServerProcess
) -> None:
    assert client.get("/status-page").status_code == 422
    with app_of(site) as app:
        assert app.store.list_jobs(JobQuery(source_name="kept"))


def test_a_failing_page_answers_500_with_the_error_and_queues_nothing(
    client: httpx.Client, site: ServerProcess
) -> None:
    response = client.get("/broken")
    assert response.status_code == 500
    assert response.headers["cache-control"] == "no-store"
    assert "app/views/pages/broken.liquid:6:12" in response.text
    assert "unknown filter &#x27;no_such_filter&#x27;" in response.text
    assert "no_such_filter }}</span>" in response.text  # the excerpt, failing line marked
    assert client.get("/raising").status_code == 500
    with app_of(site) as app:
        assert not app.store.list_jobs(JobQuery(source_name="lost"))
        assert not app.store.list_jobs(JobQuery(source_name="lost_too"))
        errors = [e for e in app.store.read_logs(LogQuery()) if e.type == "error"]
        assert any(
            f"GET {site.url}/broken" in e.message and "no_such_filter" in e.message for e in errors
        )
        assert any("page gave up" in e.message for e in errors)


def _within_the_recheck_delay(answer: Callable[[], bool]) -> bool:
    """Whether `answer()` turns true within the documented delay (a margin for
    a loaded machine added); polled, so the test takes no longer than needed."""
    deadline = time.monotonic() + FILE_RECHECK_SECONDS + 1.0
    while not answer():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_templates_are_reread_when_changed(client: httpx.Client, site: ServerProcess) -> None:
    root = site.app_dir
    page = root / "app/views/pages/fresh.liquid"
    assert client.get("/fresh").status_code == 404
    page.write_text("---\nlayout: ''\n---\nfirst")
    assert client.get("/fresh").text.strip() == "first"  # a new page answers at once
    page.write_text("---\nlayout: ''\n---\nsecond version")
    assert _within_the_recheck_delay(lambda: client.get("/fresh").text.strip() == "second version")
    page.unlink()
    assert _within_the_recheck_delay(lambda: client.get("/fresh").status_code == 404)


def test_production_shows_a_plain_500(tmp_path: Path, serve: object) -> None:
    root = write_app(
        tmp_path / "prod",
        {
            "liqueue.yml": "environment: production\n",
            "app/views/pages/index.liquid": "{{ 'x' | no_such_filter }}",
        },
    )
    server = serve(root)  # type: ignore[operator]
    response = httpx.get(server.url + "/")
    assert response.status_code == 500
    assert "no_such_filter" not in response.text and "Internal Server Error" in response.text
    with App(root) as app:
        assert any(
            "no_such_filter" in e.message for e in app.store.read_logs(LogQuery(type="error"))
        )
