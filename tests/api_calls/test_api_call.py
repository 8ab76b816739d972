"""The api_call tag against a real server on 127.0.0.1: what is sent, what comes back,
which failures fail the attempt, Retry-After, limits, timeouts in pages and jobs."""

from __future__ import annotations

import json
import time

import pytest

from liqueue.app import App
from liqueue.clock import ManualClock
from liqueue.errors import TemplateError
from liqueue.jobs import JobState
from liqueue.store import JobQuery
from liqueue.testing import drain, logs
from tests.api_calls.conftest import ShopDir
from tests.api_calls.local_server import LocalServer, Reply

CHARGE = """---
to: "{{ context.constants.base }}/charges"
request_type: POST
headers: |
  {"Content-Type": "application/json", "Idempotency-Key": {{ data.key | json }}}
---
{"order_id": {{ data.order_id | json }}, "amount": {{ data.amount | json }}}
"""


def _config(app_dir: ShopDir, server: LocalServer, extra: str = "") -> None:
    app_dir.config(
        f"retry_backoff: [5s]\nconstants:\n  base: {server.url()}\n"
        f"http:\n  allow: [127.0.0.1]\n{extra}"
    )


def _job_page(app_dir: ShopDir, body: str, max_attempts: int = 3) -> None:
    app_dir.page(
        "go",
        f"{{% background max_attempts: {max_attempts}, source_name: 'calling' %}}\n"
        f"{body}\n{{% endbackground %}}\n",
    )


def _only_job(app: App):  # type: ignore[no-untyped-def]
    (job,) = app.store.list_jobs(JobQuery())
    return job


def test_post_renders_definition_and_assigns_the_response(
    app_dir: ShopDir, server: LocalServer
) -> None:
    _config(app_dir, server)
    app_dir.definition("payments/charge", CHARGE)
    server.route("/charges", Reply.json({"id": "ch_1"}, 201, **{"X-Request-Id": "r1"}))
    app_dir.page(
        "pay",
        '{% assign payload = \'{"order_id": 7, "amount": 250, "key": "k-7"}\' | parse_json %}'
        "{% api_call response = 'payments/charge', data: payload %}"
        "{{ response.status }} {{ response.json.id }} {{ response.headers['x-request-id'] }}",
    )
    with App(app_dir.root) as app:
        output = app.render("pay").output
    assert output.strip() == "201 ch_1 r1"
    (sent,) = server.requests("/charges")
    assert sent.method == "POST"
    assert sent.headers["idempotency-key"] == "k-7"
    assert json.loads(sent.body) == {"order_id": 7, "amount": 250}


def test_get_without_json_body_has_no_json_key(app_dir: ShopDir, server: LocalServer) -> None:
    _config(app_dir, server)
    app_dir.definition("ping", '---\nto: "{{ context.constants.base }}/ping?x={{ data.x }}"\n---\n')
    server.route("/ping", Reply(200, "pong"))
    app_dir.page(
        "p",
        "{% api_call r = 'ping', data: params %}{{ r.body }}|"
        "{% if r.json == nil %}no json{% endif %}|{{ r.status }}",
    )
    with App(app_dir.root) as app:
        assert app.render("p", {"x": "1"}).output == "pong|no json|200"
    assert server.requests()[0].path == "/ping?x=1"


def test_timeout_fails_the_attempt_with_the_tag_location(
    app_dir: ShopDir, server: LocalServer
) -> None:
    _config(app_dir, server)
    app_dir.definition(
        "slow",
        '---\nto: "{{ context.constants.base }}/slow"\nrequest_type: POST\ntimeout: 0.3\n---\n',
    )
    server.route("/slow", Reply(200, "late", delay=5))
    _job_page(app_dir, "  {% api_call r = 'slow' %}")
    clock = ManualClock(time.time())
    with App(app_dir.root, clock=clock) as app:
        app.render("go")
        drain(app)
        job = _only_job(app)
    assert job.state is JobState.RETRY
    assert job.error_message == f"POST {server.url('/slow')} timed out after 0.3 s"
    assert job.error_class == "ExternalCallFailed"
    assert job.error_location == "app/views/pages/go.liquid:2:3"
    assert job.run_at == pytest.approx(clock.now() + 5)


def test_connection_refused_fails_the_attempt(app_dir: ShopDir, server: LocalServer) -> None:
    port = server.port
    server.stop()  # nothing listens there any more
    app_dir.config(f"http:\n  allow: [127.0.0.1]\nconstants:\n  base: http://127.0.0.1:{port}\n")
    app_dir.definition("down", '---\nto: "{{ context.constants.base }}/x"\n---\n')
    app_dir.page("p", "{% api_call r = 'down' %}")
    with App(app_dir.root) as app, pytest.raises(TemplateError) as caught:
        app.render("p")
    assert caught.value.message.startswith(f"GET http://127.0.0.1:{port}/x failed: ")
    assert str(caught.value.location) == "app/views/pages/p.liquid:1:1"


def test_failure_statuses_fail_others_are_the_templates(
    app_dir: ShopDir, server: LocalServer
) -> None:
    _config(app_dir, server)
    app_dir.definition("get", '---\nto: "{{ context.constants.base }}{{ data.path }}"\n---\n')
    app_dir.definition(
        "strict",
        '---\nto: "{{ context.constants.base }}{{ data.path }}"\nfailure_statuses: [400-499]\n---\n',
    )
    server.route("/missing", Reply(404, "nope"))
    server.route("/broken", Reply(500, "database on fire"))
    app_dir.page(
        "p",
        "{% assign d = params %}{% api_call r = params.definition, data: d %}status {{ r.status }}",
    )
    with App(app_dir.root) as app:
        assert app.render("p", {"definition": "get", "path": "/missing"}).output == "status 404"
        with pytest.raises(TemplateError) as caught:
            app.render("p", {"definition": "get", "path": "/broken"})
        assert caught.value.message == f"GET {server.url('/broken')} answered 500: database on fire"
        with pytest.raises(TemplateError, match="answered 404: nope"):
            app.render("p", {"definition": "strict", "path": "/missing"})
        # [400-499] replaces the default: a 500 is the template's to judge.
        assert app.render("p", {"definition": "strict", "path": "/broken"}).output == "status 500"


@pytest.mark.parametrize(
    ("status", "retry_after", "wait"),
    [(429, "120", 120.0), (503, "2", 5.0), (429, None, 5.0), (500, "120", 5.0)],
)
def test_retry_after_sets_the_next_attempt_never_before_the_backoff(
    app_dir: ShopDir, server: LocalServer, status: int, retry_after: str | None, wait: float
) -> None:
    _config(app_dir, server)
    app_dir.definition("busy", '---\nto: "{{ context.constants.base }}/busy"\n---\n')
    headers = {"Retry-After": retry_after} if retry_after else {}
    server.route("/busy", Reply(status, "busy", headers))
    _job_page(app_dir, "{% api_call r = 'busy' %}")
    clock = ManualClock(time.time())
    with App(app_dir.root, clock=clock) as app:
        app.render("go")
        drain(app)
        job = _only_job(app)
    assert job.state is JobState.RETRY
    assert job.run_at == pytest.approx(clock.now() + wait)


def test_retry_after_as_a_date(app_dir: ShopDir, server: LocalServer) -> None:
    _config(app_dir, server)
    app_dir.definition("busy", '---\nto: "{{ context.constants.base }}/busy"\n---\n')
    clock = ManualClock(time.time())
    from email.utils import formatdate

    server.route(
        "/busy", Reply(503, "", {"Retry-After": formatdate(clock.now() + 600, usegmt=True)})
    )
    _job_page(app_dir, "{% api_call r = 'busy' %}")
    with App(app_dir.root, clock=clock) as app:
        app.render("go")
        drain(app)
        job = _only_job(app)
    assert job.run_at == pytest.approx(clock.now() + 600, abs=1.5)


def test_redirects_are_followed_and_limited(app_dir: ShopDir, server: LocalServer) -> None:
    _config(app_dir, server, "  max_redirects: 2\n")
    app_dir.definition(
        "go",
        '---\nto: "{{ context.constants.base }}{{ data.path }}"\nrequest_type: POST\n---\nhello',
    )
    server.route("/a", Reply(302, "", {"Location": "/b"}))
    server.route("/b", Reply(307, "", {"Location": "/c"}))
    server.route("/c", Reply(200, "arrived"))
    server.route("/loop", Reply(302, "", {"Location": "/loop"}))
    server.route("/meta", Reply(302, "", {"Location": "http://169.254.169.254/latest/meta-data/"}))
    app_dir.page("p", "{% api_call r = 'go', data: params %}{{ r.body }}")
    with App(app_dir.root) as app:
        assert app.render("p", {"path": "/a"}).output == "arrived"
        # 302 turns the POST into a GET; 307 keeps the method
        assert [(r.method, r.path) for r in server.requests()] == [
            ("POST", "/a"),
            ("GET", "/b"),
            ("GET", "/c"),
        ]
        with pytest.raises(TemplateError, match="redirected more than 2 times"):
            app.render("p", {"path": "/loop"})
        with pytest.raises(TemplateError, match=r"169\.254\.169\.254 is a link-local address"):
            app.render("p", {"path": "/meta"})


def test_response_size_is_capped(app_dir: ShopDir, server: LocalServer) -> None:
    _config(app_dir, server, "  max_response_bytes: 1000\n")
    app_dir.definition("big", '---\nto: "{{ context.constants.base }}{{ data.path }}"\n---\n')
    server.route("/big", Reply(200, "x" * 200_000))
    server.route("/small", Reply(200, "x" * 1000))
    app_dir.page("p", "{% api_call r = 'big', data: params %}{{ r.body | size }}")
    with App(app_dir.root) as app:
        assert app.render("p", {"path": "/small"}).output == "1000"
        with pytest.raises(TemplateError, match="larger than 1000 bytes"):
            app.render("p", {"path": "/big"})


def test_pages_wait_less_than_jobs(app_dir: ShopDir, server: LocalServer) -> None:
    _config(app_dir, server, "  page_timeout: 0.3\n")
    # The definition allows 10 s; a page is still bounded by page_timeout.
    app_dir.definition(
        "slowish", '---\nto: "{{ context.constants.base }}/slowish"\ntimeout: 10\n---\n'
    )
    server.route("/slowish", Reply(200, "done", delay=1.0))
    app_dir.page("in-page", "{% api_call r = 'slowish' %}{{ r.body }}")
    _job_page(app_dir, "{% api_call r = 'slowish' %}{% log r.body, type: 'got' %}")
    with App(app_dir.root) as app:
        with pytest.raises(TemplateError, match=r"timed out after 0\.3 s"):
            app.render("in-page")
        app.render("go")
        drain(app)
        assert [e.message for e in logs(app, type="got")] == ["done"]
        assert _only_job(app).state is JobState.DONE


def test_callback_runs_with_the_response(app_dir: ShopDir, server: LocalServer) -> None:
    _config(app_dir, server)
    app_dir.definition(
        "noted",
        '---\nto: "{{ context.constants.base }}/n"\n'
        "callback: \"{% log response.status | append: ' for ' | append: data.who, type: 'callback' %}\"\n---\n",
    )
    server.route("/n", Reply(202, ""))
    _job_page(
        app_dir,
        "{% assign d = '{\"who\": \"ann\"}' | parse_json %}{% api_call r = 'noted', data: d %}",
    )
    with App(app_dir.root) as app:
        app.render("go")
        drain(app)
        assert [e.message for e in logs(app, type="callback")] == ["202 for ann"]


def test_liquid_tag_form_and_errors_in_the_definition_point_at_it(
    app_dir: ShopDir, server: LocalServer
) -> None:
    _config(app_dir, server)
    app_dir.definition("ok", '---\nto: "{{ context.constants.base }}/ok"\n---\n')
    app_dir.definition(
        "bad", '---\nto: "{{ context.constants.base }}/ok"\nheaders: "not json"\n---\n'
    )
    server.route("/ok", Reply(200, "fine"))
    app_dir.page("p", "{% liquid\n  api_call r = 'ok'\n  echo r.body\n%}")
    app_dir.page("q", "{% api_call r = 'bad' %}")
    app_dir.page("r", "\n{% api_call r = 'nowhere' %}")
    with App(app_dir.root) as app:
        assert app.render("p").output == "fine"
        with pytest.raises(TemplateError) as caught:
            app.render("q")
        assert str(caught.value.location) == "app/api_calls/bad.liquid:3"
        assert "must render a JSON object" in caught.value.message
        with pytest.raises(TemplateError) as missing:
            app.render("r")
        assert str(missing.value) == (
            "app/views/pages/r.liquid:2:1: api call 'nowhere' not found "
            "(looked for app/api_calls/nowhere.liquid)"
        )
