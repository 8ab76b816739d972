"""Secrets: read from the environment named in liqueue.yml, sent where templates put
them, never stored in job rows, masked in logs, errors and `jobs show`."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest
from click.testing import CliRunner

from liqueue.app import App
from liqueue.cli import cli
from liqueue.clock import ManualClock
from liqueue.errors import TemplateError
from liqueue.store import JobQuery
from liqueue.testing import drain, logs
from tests.api_calls.conftest import ShopDir
from tests.api_calls.local_server import LocalServer, Received, Reply

KEY = "sk_live_abc123XYZ"


@pytest.fixture
def secret_app(app_dir: ShopDir, server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> ShopDir:
    monkeypatch.setenv("SHOP_STRIPE_KEY", KEY)
    app_dir.config(
        "retry_backoff: [5s]\n"
        f"constants:\n  base: {server.url()}\n"
        "http:\n  allow: [127.0.0.1]\n"
        "secrets:\n  STRIPE_KEY: SHOP_STRIPE_KEY\n"
    )
    app_dir.definition(
        "charge",
        '---\nto: "{{ context.constants.base }}{{ data.path }}"\nrequest_type: POST\n'
        'headers: \'{"Authorization": "Bearer {{ context.secrets.STRIPE_KEY }}"}\'\n---\n',
    )
    return app_dir


def _echo_authorization(request: Received) -> Reply:
    return Reply(500, "rejected " + request.headers.get("authorization", ""))


def test_a_job_sends_the_secret_but_never_stores_or_logs_it(
    secret_app: ShopDir, server: LocalServer
) -> None:
    server.route("/echo", _echo_authorization)
    secret_app.page(
        "p",
        "{% background max_attempts: 2, source_name: 'charging', path: '/echo' %}\n"
        "{% log 'using ' | append: context.secrets.STRIPE_KEY, type: 'debug' %}\n"
        "{% assign d = '{}' | parse_json | hash_merge: path: path %}"
        "{% api_call r = 'charge', data: d %}\n"
        "{% endbackground %}",
    )
    clock = ManualClock(time.time())
    with App(secret_app.root, clock=clock) as app:
        app.render("p")
        drain(app)
        (job,) = app.store.list_jobs(JobQuery())
        assert server.requests("/echo")[0].headers["authorization"] == f"Bearer {KEY}"
        assert job.error_message == (
            f"POST {server.url('/echo')} answered 500: rejected Bearer [secret STRIPE_KEY]"
        )
        assert [e.message for e in logs(app, type="debug")] == ["using [secret STRIPE_KEY]"]
        database = app.database_url.removeprefix("sqlite:///")
        shown = CliRunner().invoke(cli, ["jobs", "show", str(secret_app.root), job.id]).output
    dump = "\n".join(sqlite3.connect(database).iterdump())
    assert KEY not in dump
    assert "[secret STRIPE_KEY]" in shown and KEY not in shown


def test_a_secret_cannot_become_a_job_argument(secret_app: ShopDir) -> None:
    secret_app.page(
        "p",
        "{% background source_name: 'leaky', key: context.secrets.STRIPE_KEY %}{% endbackground %}",
    )
    with App(secret_app.root) as app:
        with pytest.raises(TemplateError) as caught:
            app.render("p")
        assert app.store.list_jobs(JobQuery()) == []
    assert "would store the secret STRIPE_KEY" in caught.value.message
    assert KEY not in str(caught.value)


def test_a_secret_in_any_job_of_a_render_fails_it_at_that_job(secret_app: ShopDir) -> None:
    """Each job is searched with its source name and the render's shared context."""
    secret_app.page(
        "p",
        "{% for n in (1..3) %}{% background source_name: 'fine', n: n %}{% endbackground %}"
        "{% endfor %}\n"
        "{% background source_name: 'leaky_' | append: context.secrets.STRIPE_KEY %}"
        "{% endbackground %}",
    )
    secret_app.page("q", "{% background source_name: 'fine', n: 1 %}{% endbackground %}")
    with App(secret_app.root) as app:
        with pytest.raises(TemplateError) as caught:
            app.render("p")
        assert caught.value.location is not None and caught.value.location.line == 2
        assert "would store the secret STRIPE_KEY" in caught.value.message
        app.runtime.render("q", request_path="/q")
        with pytest.raises(TemplateError, match="would store the secret STRIPE_KEY"):
            app.runtime.render("q", request_path=f"/q?key={KEY}")


def test_page_output_and_errors_are_masked(secret_app: ShopDir) -> None:
    secret_app.page("p", "key={{ context.secrets.STRIPE_KEY }}")
    secret_app.page("q", "{% raise 'bad key ' | append: context.secrets.STRIPE_KEY %}")
    with App(secret_app.root) as app:
        assert app.render("p").output == "key=[secret STRIPE_KEY]"
        with pytest.raises(TemplateError) as caught:
            app.render("q")
    assert caught.value.message == "bad key [secret STRIPE_KEY]"


def test_secrets_come_from_the_running_process(
    secret_app: ShopDir, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.route("/echo", lambda r: Reply(200, r.headers.get("authorization", "")))
    secret_app.page(
        "p",
        "{% background source_name: 'charging' %}"
        '{% assign d = \'{"path": "/echo"}\' | parse_json %}'
        "{% api_call r = 'charge', data: d %}{% log r.body | size, type: 'len' %}"
        "{% endbackground %}",
    )
    with App(secret_app.root) as app:
        app.render("p")
        (job,) = app.store.list_jobs(JobQuery())
        assert "secrets" not in json.dumps(job.context)
    monkeypatch.setenv("SHOP_STRIPE_KEY", "rotated_key_999")
    with App(secret_app.root) as worker_app:
        drain(worker_app)
    assert server.requests("/echo")[0].headers["authorization"] == "Bearer rotated_key_999"


def test_jobs_show_masks_a_secret_stored_by_python_code(secret_app: ShopDir) -> None:
    from liqueue.errors import Location
    from liqueue.jobs import JobSpec
    from liqueue.outbox import Outbox

    with App(secret_app.root) as app:
        spec = JobSpec("from_python", Location("script.py"), body="", arguments={"key": KEY})
        app.enqueue(Outbox(jobs=[spec]))
        runner = CliRunner()
        shown = runner.invoke(cli, ["jobs", "show", str(secret_app.root), spec.id]).output
        as_json = runner.invoke(cli, ["jobs", "show", str(secret_app.root), spec.id, "--json"])
    assert '"key": "[secret STRIPE_KEY]"' in shown and KEY not in shown
    assert KEY not in as_json.output and "[secret STRIPE_KEY]" in as_json.output


def test_check_warns_about_a_secret_missing_from_the_environment(
    secret_app: ShopDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHOP_STRIPE_KEY")
    with App(secret_app.root) as app:
        problems = [str(p) for p in app.check()]
    assert problems == [
        "liqueue.yml: warning: secret STRIPE_KEY: $SHOP_STRIPE_KEY is not set here, "
        "so context.secrets.STRIPE_KEY is empty"
    ]
