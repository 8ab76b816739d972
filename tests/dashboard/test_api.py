"""The JSON API, /metrics and /healthz over HTTP against a real `liqueue serve`, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.dashboard.conftest import liqueue
from tests.web.conftest import Serve

API = "/_liqueue/api"


def test_the_api_shows_the_dead_job_with_its_error_and_body(
    flaky_app: Path, db_url: str, serve: Serve
) -> None:
    server = serve(flaky_app, "--db", db_url)
    dead = httpx.get(server.url + API + "/jobs", params={"state": "dead"}).json()["jobs"]
    assert [job["source_name"] for job in dead] == ["charge_card"]
    detail = httpx.get(server.url + API + f"/jobs/{dead[0]['id'][:20]}").json()
    assert detail["job"]["arguments"] == {"amount": 42}
    assert "nonexistent_filter_boom" in detail["attempts"][0]["error"]
    assert detail["attempts"][0]["status"] == "FAILED"
    texts = {line["line"]: line["text"] for line in detail["body_lines"]}
    assert "nonexistent_filter_boom" in texts[detail["error_line"]]
    found = httpx.get(server.url + API + "/jobs", params={"q": "DEE@example"}).json()["jobs"]
    assert [job["source_name"] for job in found] == ["send_receipt"]


def test_cli_and_api_answer_the_same_question_alike(
    flaky_app: Path, db_url: str, serve: Serve
) -> None:
    server = serve(flaky_app, "--db", db_url)
    for state in ("dead", "done", None):
        args = ["jobs", "list", str(flaky_app), "--db", db_url, "--json"]
        args += ["--state", state] if state else []
        cli = json.loads(liqueue(*args).stdout)
        api = httpx.get(server.url + API + "/jobs", params={"state": state or ""}).json()["jobs"]
        assert api == cli
    cli_stats = json.loads(liqueue("stats", str(flaky_app), "--db", db_url, "--json").stdout)
    assert httpx.get(server.url + API + "/stats").json()["stats"] == cli_stats


def test_actions_pauses_and_errors_as_json(flaky_app: Path, db_url: str, serve: Serve) -> None:
    server = serve(flaky_app, "--db", db_url)
    dead = httpx.get(server.url + API + "/jobs", params={"state": "dead"}).json()["jobs"]
    retried = httpx.post(
        server.url + API + "/jobs/actions", json={"action": "retry", "ids": [dead[0]["id"]]}
    )
    assert retried.json() == {"action": "retry", "asked": 1, "changed": 1}
    count = httpx.get(server.url + API + "/jobs/count", params={"state": "scheduled"}).json()
    assert count == {"count": 1}
    cancelled = httpx.post(
        server.url + API + "/jobs/actions",
        json={"action": "cancel", "all": True, "filter": {"state": "scheduled"}},
    )
    assert cancelled.json() == {"action": "cancel", "asked": 1, "changed": 1}
    audit = httpx.get(server.url + API + "/logs", params={"type": "audit"}).json()["logs"]
    assert [entry["message"] for entry in audit] == [
        "127.0.0.1: retry 1 of 1 chosen job(s)",
        "127.0.0.1: cancel 1 of 1 job(s) matching {'state': 'scheduled'}",
    ]
    paused = httpx.post(
        server.url + API + "/pauses", json={"kind": "source_name", "name": "charge_card"}
    )
    assert paused.json()["pauses"][0]["name"] == "charge_card"
    assert "charge_card" in liqueue("pause", str(flaky_app), "--db", db_url).stdout
    bad = httpx.post(server.url + API + "/pauses", json={"kind": "priority", "name": "urgent"})
    assert bad.status_code == 400 and "unknown priority 'urgent'" in bad.json()["error"]
    missing = httpx.get(server.url + API + "/jobs/ffffffffffffffffff")
    assert missing.status_code == 404 and "error" in missing.json()
    form = httpx.post(server.url + API + "/jobs/actions", data={"action": "retry"})
    assert form.status_code == 403 and "authenticity token" in form.json()["error"]


def test_metrics_and_health(flaky_app: Path, db_url: str, serve: Serve) -> None:
    server = serve(flaky_app, "--db", db_url)
    text = httpx.get(server.url + "/_liqueue/metrics").text
    assert 'liqueue_jobs{priority="default",state="dead"} 1.0' in text
    assert 'liqueue_jobs{priority="default",state="done"} 1.0' in text
    assert 'liqueue_attempts_total{outcome="failure",source_name="charge_card"} 1.0' in text
    assert 'liqueue_attempt_duration_seconds_count{source_name="send_receipt"} 1.0' in text
    assert 'liqueue_queue_latency_seconds{priority="high"} 0.0' in text
    assert "liqueue_workers_alive 0.0" in text
    health = httpx.get(server.url + "/_liqueue/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"


def test_credentials_and_roles(flaky_app: Path, db_url: str, serve: Serve) -> None:
    env = {
        "LIQUEUE_DASHBOARD_TOKEN": "admin-secret-1",
        "LIQUEUE_DASHBOARD_READONLY_TOKEN": "viewer-2",
    }
    server = serve(flaky_app, "--db", db_url, env=env)
    url = server.url + API + "/jobs"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert httpx.get(url, auth=("ops", "viewer-2")).status_code == 200
    denied = httpx.post(
        url + "/actions", json={"action": "retry", "ids": ["x"]}, auth=("ops", "viewer-2")
    )
    assert denied.status_code == 403 and "admin" in denied.json()["error"]
    allowed = httpx.post(
        url + "/actions",
        json={"action": "retry", "ids": ["ffffffff"]},
        headers={"Authorization": "Bearer admin-secret-1"},
    )
    assert allowed.status_code == 404  # past the guard: no such job


def test_serving_beyond_loopback_without_a_credential_is_refused(flaky_app: Path) -> None:
    done = liqueue("dashboard", str(flaky_app), "--host", "0.0.0.0")
    assert done.returncode == 1
    assert "without a credential" in done.stderr and "LIQUEUE_DASHBOARD_TOKEN" in done.stderr
