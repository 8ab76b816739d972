"""What templates cannot reach or fill: the render's state, stored constants, unbounded locals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from liqueue.app import App
from liqueue.config import AppConfig, Limits
from liqueue.errors import TemplateError
from liqueue.jobs import JobState
from liqueue.liquid import Runtime
from liqueue.testing import drain
from tests.hardening.bad_apps import INDEX, all_jobs, in_job, open_app

PEEKS = [
    "{{ [' liqueue state'] }}",
    "{% for pair in [' liqueue state'] %}{{ pair }}{% endfor %}",
    "{{ context }}{{ context.outbox }}{{ context.job }}",
]


def _app(root: Path, page: str, settings: str = "") -> App:
    (root / "app/views/pages").mkdir(parents=True)
    (root / INDEX).write_text(page)
    (root / "liqueue.yml").write_text(settings or "retry_jitter: 0\n")
    return open_app(root)


@pytest.mark.parametrize("peek", PEEKS)
def test_a_page_cannot_read_the_render_state(tmp_path: Path, peek: str) -> None:
    with _app(tmp_path, peek + "{% background source_name: 'x_y' %}{% endbackground %}") as app:
        output = app.render("index").output
    assert "RenderState" not in output and "Outbox" not in output and "clock" not in output


@pytest.mark.parametrize("peek", PEEKS)
def test_a_job_cannot_read_its_row_or_lease(tmp_path: Path, peek: str) -> None:
    with _app(tmp_path, in_job(peek + "{% log [' liqueue state'] %}")) as app:
        app.render("index")
        outcome = drain(app).outcomes[0]
        assert outcome.state is JobState.DONE
        messages = [entry.message for entry in outcome.outbox.logs if entry.type == "info"]
    assert messages == ["null"]  # undefined, as any unknown name


def test_constants_are_not_stored_in_job_rows_but_jobs_read_them(tmp_path: Path) -> None:
    page = in_job("{% log context.constants.API_KEY %}")
    with _app(tmp_path, page, "constants: {API_KEY: secret-1}\n") as app:
        app.render("index")
        [job] = all_jobs(app)
        assert "constants" not in job.context  # type: ignore[attr-defined]
        assert "secret-1" not in repr(job)
    (tmp_path / "liqueue.yml").write_text("constants: {API_KEY: secret-2}\n")
    with open_app(tmp_path) as app:
        outcome = drain(app).outcomes[0]
    logged = [e.message for e in outcome.outbox.logs if e.type == "info"]
    assert logged == ["secret-2"]  # the running app's settings


def test_a_page_still_sees_constants(tmp_path: Path) -> None:
    with _app(tmp_path, "{{ context.constants.A }}", "constants: {A: 1}\n") as app:
        assert app.render("index").output == "1"


def test_assigns_are_measured_once_each_and_replacements_free_their_size(tmp_path: Path) -> None:
    # 2,000 reassignments of a 1 KB text stay within a 10 KB limit: only what
    # the variables hold now counts, not what they held before.
    (tmp_path / "app/views/pages").mkdir(parents=True)
    (tmp_path / INDEX).write_text(
        "{% for i in (1..2000) %}{% capture s %}{{ i }}{{ pad }}{% endcapture %}"
        "{% assign t = s | append: 'x' %}{% endfor %}{{ t | size }}"
    )
    runtime = Runtime(tmp_path, AppConfig(limits=Limits(local_namespace_bytes=10_000)))
    assert runtime.render("index", {"pad": "p" * 1000}).output == "1005"


def test_the_local_namespace_limit_still_stops_growth(tmp_path: Path) -> None:
    (tmp_path / "app/views/pages").mkdir(parents=True)
    (tmp_path / INDEX).write_text(
        "{% assign s = 'ab' %}\n{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}"
    )
    limit = 1_000_000
    runtime = Runtime(tmp_path, AppConfig(limits=Limits(local_namespace_bytes=limit)))
    with pytest.raises(TemplateError) as caught:
        runtime.render("index")
    assert str(caught.value) == f"{INDEX}:2:26: local namespace limit reached"
    assert sys.getsizeof("a" * limit) > limit
