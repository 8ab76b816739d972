"""The path of a job through runner and store, in one process, with a moved clock,
on every backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from liqueue import App, ManualClock
from liqueue.jobs import JobState
from liqueue.store import JobQuery, LogQuery
from liqueue.testing import attempt_lines, drain
from tests.apps import write_app

MakeApp = Callable[[dict[str, str]], App]

CONFIG = """
retry_backoff: [5s, 30s, 2m, 10m]
retry_jitter: 0
"""


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def make_app(tmp_path: Path, db_url: str, clock: ManualClock) -> Iterator[MakeApp]:
    """Write an app with `files` and open it on the test's database; closed at teardown."""
    opened: list[App] = []

    def make(files: dict[str, str]) -> App:
        root = write_app(tmp_path / "app", files, CONFIG)
        opened.append(App(root, database_url=db_url, clock=clock))
        return opened[-1]

    yield make
    for app in opened:
        app.close()


def test_flaky_job_retries_with_backoff_then_succeeds(
    make_app: MakeApp, clock: ManualClock
) -> None:
    app = make_app({
        "views/pages/index.liquid": """
            {% background max_attempts: 3, source_name: 'processing_order' %}
              {% if job.attempt < 3 %}{% raise 'service unavailable' %}{% endif %}
              {% log 'charged', type: 'payment' %}
            {% endbackground %}
        """,
    })  # fmt: skip
    app.render("index")
    assert [o.state for o in drain(app).outcomes] == [JobState.RETRY]
    clock.advance(4.9)
    assert drain(app).outcomes == []  # the first retry waits 5 s
    clock.advance(0.2)
    assert [o.state for o in drain(app).outcomes] == [JobState.RETRY]
    clock.advance(29)
    assert drain(app).outcomes == []  # the second waits 30 s
    clock.advance(1.1)
    assert [o.state for o in drain(app).outcomes] == [JobState.DONE]

    lines = attempt_lines(app, "processing_order")
    assert [line.split(" - ")[0:3] for line in lines] == [
        ["[attempt 1/3]", "processing_order", "FAILED"],
        ["[attempt 2/3]", "processing_order", "FAILED"],
        ["[attempt 3/3]", "processing_order", "SUCCESS"],
    ]
    assert "service unavailable" in lines[0]
    assert "app/views/pages/index.liquid:2" in lines[0]
    job = app.store.list_jobs(JobQuery(source_name="processing_order"))[0]
    assert job.state is JobState.DONE and job.attempt == 3


def test_job_dies_after_last_attempt_keeping_its_error(
    make_app: MakeApp, clock: ManualClock
) -> None:
    app = make_app({
        "views/pages/index.liquid": """
            {% background max_attempts: 2, source_name: 'doomed' %}
              {% include 'broken' %}
            {% endbackground %}
        """,
        "views/partials/broken.liquid": "line one\n{% raise 'always broken' %}\n",
    })  # fmt: skip
    app.render("index")
    drain(app)
    clock.advance(6)
    assert [o.state for o in drain(app).outcomes] == [JobState.DEAD]
    clock.advance(3600)
    assert drain(app).outcomes == []  # dead jobs are not retried
    job = app.store.list_jobs(JobQuery(state=JobState.DEAD))[0]
    assert job.error_class == "JobFailed"
    assert job.error_message == "always broken"
    assert job.error_location == "app/views/partials/broken.liquid:2:1"


def test_delay_is_minutes_and_fractions(make_app: MakeApp, clock: ManualClock) -> None:
    app = make_app({
        "views/pages/index.liquid": """
            {% background delay: 0.5, source_name: 'half_minute' %}x{% endbackground %}
            {% background delay: 1440, source_name: 'next_day' %}x{% endbackground %}
        """,
    })  # fmt: skip
    app.render("index")
    assert drain(app).outcomes == []
    clock.advance(29.9)
    assert drain(app).outcomes == []
    clock.advance(0.2)
    assert [o.state for o in drain(app).outcomes] == [JobState.DONE]
    clock.advance(86400)
    assert len(drain(app).outcomes) == 1


def test_jobs_create_jobs_only_when_they_succeed(make_app: MakeApp) -> None:
    app = make_app({
        "views/pages/index.liquid": """
            {% background source_name: 'parent', n: 1 %}
              {% background source_name: 'child', n: n %}{% log n %}{% endbackground %}
            {% endbackground %}
            {% background source_name: 'failing_parent' %}
              {% background source_name: 'orphan' %}x{% endbackground %}
              {% raise 'no' %}
            {% endbackground %}
        """,
    })  # fmt: skip
    app.render("index")
    drain(app)
    names = sorted(job.source_name for job in app.store.list_jobs(JobQuery()))
    assert names == ["child", "failing_parent", "parent"]
    child = app.store.list_jobs(JobQuery(source_name="child"))[0]
    assert child.state is JobState.DONE and child.arguments == {"n": 1}


def test_failed_render_queues_nothing(make_app: MakeApp) -> None:
    app = make_app({
        "views/pages/index.liquid": """
            {% background source_name: 'never' %}x{% endbackground %}
            {{ 1 | divided_by: 0 }}
        """,
    })  # fmt: skip
    with pytest.raises(Exception, match="divide"):
        app.render("index")
    assert app.store.list_jobs(JobQuery()) == []


def test_low_priority_keeps_moving_under_a_flood_of_high(make_app: MakeApp) -> None:
    app = make_app({
        "views/pages/index.liquid": """
            {% for i in (1..3) %}{% background priority: 'low', source_name: 'low' %}x{% endbackground %}{% endfor %}
            {% for i in (1..40) %}{% background priority: 'high', source_name: 'high' %}x{% endbackground %}{% endfor %}
            {% for i in (1..5) %}{% background priority: 'default', source_name: 'default' %}x{% endbackground %}{% endfor %}
        """,
    })  # fmt: skip
    app.render("index")
    order = [app.store.get_job(o.job_id).source_name for o in drain(app).outcomes]
    assert len(order) == 48
    assert order[0] == "high"
    # one claim in ten tries low first: all three low jobs finish within the first 30
    assert [i for i, name in enumerate(order) if name == "low"][-1] < 30
    assert order[:10].count("default") == 3


def test_now_in_templates_is_the_apps_clock(make_app: MakeApp, clock: ManualClock) -> None:
    app = make_app({
        "views/pages/index.liquid": "{{ 'now' | date: '%s' }}",
    })  # fmt: skip
    assert app.render("index").output == str(int(clock.now()))
    clock.advance(3600)
    assert app.render("index").output == str(int(clock.now()))


def test_a_job_publishing_an_unknown_event_fails_but_keeps_its_logs(make_app: MakeApp) -> None:
    app = make_app({
        "views/pages/index.liquid": """
            {% background source_name: 'publisher' %}
              {% log 'about to publish', type: 'trace' %}
              {% trigger_event 'nobody.listens', x: 1 %}
            {% endbackground %}
        """,
    })  # fmt: skip
    app.render("index")
    assert [o.state for o in drain(app).outcomes] == [JobState.DEAD]
    assert [e.message for e in app.store.read_logs(LogQuery(type="trace"))] == ["about to publish"]
    [line] = attempt_lines(app, "publisher")
    assert "FAILED" in line and "unknown event type 'nobody.listens'" in line
    assert app.store.list_events() == []
