"""`liqueue.testing.fake_api_calls`, and what `liqueue check` says about API calls."""

from __future__ import annotations

import time

from click.testing import CliRunner

from liqueue.app import App
from liqueue.cli import cli
from liqueue.clock import ManualClock
from liqueue.jobs import JobState
from liqueue.store import JobQuery
from liqueue.testing import drain, fake_api_calls, logs
from tests.api_calls.conftest import ShopDir

CHARGE = """---
to: https://api.payments.example/charges
request_type: POST
headers: '{"Idempotency-Key": {{ data.key | json }}}'
---
{"order_id": {{ data.order_id }}}
"""

PAGE = """{% background max_attempts: 3, source_name: 'charge', order_id: params.id %}
{% assign key = 'k-' | append: order_id %}
{% assign d = '{}' | parse_json | hash_merge: order_id: order_id, key: key %}
{% api_call r = 'payments/charge', data: d %}
{% log r.json.id, type: 'charged' %}
{% endbackground %}"""


def test_fake_answers_and_records_what_was_sent(app_dir: ShopDir) -> None:
    app_dir.definition("payments/charge", CHARGE)
    app_dir.page("p", PAGE)
    with App(app_dir.root) as app:
        app.render("p", {"id": 9})
        with fake_api_calls({"payments/charge": {"status": 200, "json": {"id": "ch_9"}}}) as calls:
            drain(app)
        assert [e.message for e in logs(app, type="charged")] == ["ch_9"]
    request = calls.assert_called("payments/charge", times=1)
    assert (request.method, request.url) == ("POST", "https://api.payments.example/charges")
    assert request.headers == {"Idempotency-Key": "k-9"}
    assert request.body == '{"order_id": 9}'
    assert request.data == {"order_id": 9, "key": "k-9"}


def test_fake_failure_statuses_fail_attempts_in_turn(app_dir: ShopDir) -> None:
    app_dir.config("retry_backoff: [1s]\n")
    app_dir.definition("payments/charge", CHARGE)
    app_dir.page("p", PAGE)
    answers: list[dict[str, object]] = [
        {"status": 503},
        {"status": 503},
        {"status": 200, "json": {"id": "ch_1"}},
    ]
    clock = ManualClock(time.time())
    with App(app_dir.root, clock=clock) as app:
        app.render("p", {"id": 1})
        with fake_api_calls({"payments/charge": answers}) as calls:
            for _ in range(3):
                drain(app)
                clock.advance(2)
        (job,) = app.store.list_jobs(JobQuery())
    assert (job.state, job.attempt) == (JobState.DONE, 3)
    assert len(calls.requests("payments/charge")) == 3


def test_check_reports_definitions_and_missing_ones(app_dir: ShopDir) -> None:
    app_dir.definition("no_to", "---\nrequest_type: GET\n---\n")
    app_dir.definition("verb", "---\nto: https://x.example\nrequest_type: FETCH\n---\n")
    app_dir.definition(
        "headers", "---\nto: https://x.example\nheaders: 'Bearer {{ data.t }}'\n---\n"
    )
    app_dir.definition(
        "fine", "---\nto: https://x.example\nheaders: '{\"A\": {{ data.a | json }}}'\n---\n"
    )
    app_dir.page("p", "\n\n{% api_call r = 'fine' %}{% api_call r = 'payments/missing' %}")
    out = CliRunner().invoke(cli, ["check", str(app_dir.root)]).output
    assert "app/api_calls/no_to.liquid:1: error: api call 'no_to' has no `to`" in out
    assert "app/api_calls/verb.liquid:3: error: unknown request_type 'FETCH'" in out
    assert (
        "app/api_calls/headers.liquid:3: error: headers of api call 'headers' must render a JSON object"
        in out
    )
    assert (
        "app/views/pages/p.liquid:3:42: error: api call 'payments/missing' not found "
        "(looked for app/api_calls/payments/missing.liquid)"
    ) in out
    assert "fine.liquid" not in out
