"""`liqueue dashboard` on its own: its forms carry the session's token, as under `serve`."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from liqueue import App
from liqueue.jobs import JobState
from liqueue.store import JobQuery
from tests.web.conftest import Serve

TOKEN = re.compile(r'name="authenticity_token" value="([^"]+)"')


def test_a_form_posted_with_the_session_token_acts_and_a_forged_one_is_refused(
    flaky_app: Path, db_url: str, serve: Serve
) -> None:
    server = serve(flaky_app, "--db", db_url, command="dashboard")
    with App(flaky_app, database_url=db_url) as app:
        dead = app.store.list_jobs(JobQuery(state=JobState.DEAD))
    assert len(dead) == 1
    with httpx.Client(base_url=server.url) as client:
        page = client.get("/_liqueue/jobs")
        assert page.status_code == 200 and "liqueue_dashboard_session" in page.headers["set-cookie"]
        found = TOKEN.search(page.text)
        assert found is not None
        form = {"authenticity_token": found.group(1), "action": "retry", "ids": dead[0].id}
        done = client.post("/_liqueue/jobs/actions", data=form)
        assert done.status_code == 303 and "retry%3A+1+of+1+job" in done.headers["location"]
        forged = client.post("/_liqueue/jobs/actions", data={**form, "authenticity_token": "x"})
        assert forged.status_code == 403
    # Without the session cookie the same token is a stranger's.
    assert httpx.post(server.url + "/_liqueue/jobs/actions", data=form).status_code == 403
    with App(flaky_app, database_url=db_url) as app:
        assert app.store.get_job(dead[0].id).state is JobState.SCHEDULED
