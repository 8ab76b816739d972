"""Every Liquid snippet of the seed guide parses and runs; its two broken
snippets are reported by `check` at the right line.

The guide is kept verbatim in `seed_app/seed.md`; `seed_app/app` holds the
partials its snippets include (each logs that it ran).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from liqueue.config import AppConfig
from liqueue.errors import TemplateError
from liqueue.liquid import Problem, Runtime

from .liquid_apps import AppDir, job_from

SEED_APP = Path(__file__).parent / "seed_app"
BROKEN = {"Batch Processing Efficiency", "Source Name Convention"}
# Step 5 of "Debugging Failed Jobs" shows only the opening tag of a block.
FRAGMENT = "Debugging Failed Jobs"


@dataclass(frozen=True)
class Snippet:
    section: str
    index: int  # among the section's liquid snippets
    source: str

    @property
    def page(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.section.lower()).strip("-")
        return f"seed/{slug}-{self.index}"


def seed_snippets() -> list[Snippet]:
    text = (SEED_APP / "seed.md").read_text(encoding="utf-8")
    snippets: list[Snippet] = []
    section = ""
    counts: dict[str, int] = {}
    for match in re.finditer(r"^### ([^\n]+)$|^ *```liquid\n(.*?)^ *```$", text, re.M | re.S):
        if match.group(1):
            section = match.group(1).strip()
            continue
        indent = len(match.group(0)) - len(match.group(0).lstrip(" "))
        body = "\n".join(line[indent:] for line in match.group(2).splitlines()) + "\n"
        counts[section] = counts.get(section, 0) + 1
        snippets.append(Snippet(section, counts[section], body))
    return snippets


SNIPPETS = seed_snippets()
RUNNABLE = [s for s in SNIPPETS if s.section not in BROKEN]

PARAMS: dict[str, object] = {
    "order": {"id": 1001, "created_at": "2026-11-28T12:00:00Z"},
    "user": {"id": 7, "email": "u@example.com"},
    "users_to_notify": [{"id": 1}, {"id": 2}, {"id": 3}],
    "scheduled_at": "2099-01-01 00:00:00",
    "message": "hello",
    "jobs": [{"id": 1, "critical": True}, {"id": 2, "critical": False}],
    "large_collection": [{"id": n} for n in range(1, 6)],
    "entity": {"id": 5},
    "operation": {"id": 9},
}


@pytest.fixture
def seed_app(tmp_path: Path) -> AppDir:
    shutil.copytree(SEED_APP / "app", tmp_path / "app")
    return AppDir(tmp_path)


def _write(app: AppDir, snippet: Snippet, source: str | None = None) -> str:
    app.page(snippet.page, source if source is not None else snippet.source)
    return f"app/views/pages/{snippet.page}.liquid"


def test_the_guide_has_the_snippets_this_test_expects() -> None:
    assert len(SNIPPETS) == 18
    assert {s.section for s in SNIPPETS} >= BROKEN | {FRAGMENT}
    fragments = [
        s for s in SNIPPETS if "endbackground" not in s.source and "background" in s.source
    ]
    assert [s.section for s in fragments] == [FRAGMENT]


@pytest.mark.parametrize("snippet", RUNNABLE, ids=lambda s: s.page)
def test_every_snippet_renders_and_its_jobs_run(seed_app: AppDir, snippet: Snippet) -> None:
    source = snippet.source
    if snippet.section == FRAGMENT and "endbackground" not in source and "background" in source:
        # Only the opening tag is shown; complete it the way the guide means.
        source += "  {% include 'email', user_id: user.id %}\n{% endbackground %}\n"
    _write(seed_app, snippet, source)
    runtime = seed_app.runtime()
    result = runtime.render(snippet.page, PARAMS)
    ran_partials = [entry.message for entry in result.outbox.logs if entry.type == "seed"]
    for spec in result.outbox.jobs:
        assert spec.body is not None
        job_result = runtime.run_job(job_from(spec))
        ran_partials.extend(e.message for e in job_result.outbox.logs if e.type == "seed")
        assert job_result.outbox.jobs == []
    includes = re.findall(r"\{%\s*include '([^']+)'", source)
    if includes:
        # Every include of the snippet ran, at the page or inside a job.
        assert {f"{name} ran" for name in includes} <= set(ran_partials)
    if "background" in source:
        assert result.outbox.jobs, "a snippet with a background tag queued nothing"
    if "trigger_event" in source:
        assert [event.type for event in result.outbox.events] == ["order.created"]


def test_staggered_snippet_creates_one_job_per_iteration(seed_app: AppDir) -> None:
    [snippet] = [s for s in SNIPPETS if s.section == "Staggered Job Execution"]
    _write(seed_app, snippet)
    jobs = seed_app.runtime().render(snippet.page, PARAMS).outbox.jobs
    assert [(j.delay_minutes, j.source_name, j.arguments) for j in jobs] == [
        (1.0, "send_batch_email", {}),
        (2.0, "send_batch_email", {}),
        (3.0, "send_batch_email", {}),
    ]


def test_priority_snippet_names_jobs_from_filtered_source_names(seed_app: AppDir) -> None:
    [snippet] = [s for s in SNIPPETS if s.section == "Queue Management"]
    _write(seed_app, snippet)
    jobs = seed_app.runtime().render(snippet.page, PARAMS).outbox.jobs
    assert [(j.source_name, j.priority) for j in jobs] == [
        ("critical_1", "high"),
        ("standard_2", "default"),
    ]


def _line_of(source: str, needle: str, occurrence: int = 1) -> int:
    index = -1
    for _ in range(occurrence):
        index = source.index(needle, index + 1)
    return source.count("\n", 0, index) + 1


@pytest.mark.parametrize("section", sorted(BROKEN))
def test_broken_snippets_fail_to_render_at_the_right_line(seed_app: AppDir, section: str) -> None:
    [snippet] = [s for s in SNIPPETS if s.section == section]
    path = _write(seed_app, snippet)
    with pytest.raises(TemplateError) as caught:
        seed_app.runtime().render(snippet.page, PARAMS)
    needle = {
        "Batch Processing Efficiency": "[{{ item.id }}{% endcomment %}",
        "Source Name Convention": "{% background source_name: 'job' %}",
    }[section]
    assert caught.value.location is not None
    assert caught.value.location.path == path
    assert caught.value.location.line == _line_of(snippet.source, needle)
    assert "is closed by `endcomment`" in caught.value.message


def test_check_reports_the_broken_snippets_and_the_fragment(seed_app: AppDir) -> None:
    paths = {snippet.page: _write(seed_app, snippet) for snippet in SNIPPETS}
    problems = Runtime(seed_app.root, AppConfig()).check()
    errors = [p for p in problems if p.severity == "error"]

    batch = next(s for s in SNIPPETS if s.section == "Batch Processing Efficiency")
    names = next(s for s in SNIPPETS if s.section == "Source Name Convention")
    [fragment] = [
        s
        for s in SNIPPETS
        if s.section == FRAGMENT and "endbackground" not in s.source
        if "background" in s.source
    ]
    expected = {
        (
            paths[batch.page],
            _line_of(batch.source, "{% endcomment %}", 2),
            "`capture` opened on line "
            f"{_line_of(batch.source, '{% capture batch_items %}[')} is closed by `endcomment` "
            "(expected endcapture)",
        ),
        (
            paths[names.page],
            _line_of(names.source, "source_name: 'job'"),
            "`background` opened on line "
            f"{_line_of(names.source, 'source_name: ' + chr(39) + 'job')} is closed by "
            "`endcomment` (expected endbackground)",
        ),
        (
            paths[fragment.page],
            1,
            "`background` opened here is never closed (expected endbackground)",
        ),
    }
    assert {(p.location.path, p.location.line, p.message) for p in errors} == expected
    _assert_warnings(problems, paths[names.page], names)


def _assert_warnings(problems: list[Problem], path: str, names: Snippet) -> None:
    warnings = [p for p in problems if p.severity == "warning" and p.location.path == path]
    # The guide's good names ('email_send_welcome', ...) are not flagged; 'job' is.
    assert [(p.location.line, p.location.column) for p in warnings] == [
        (_line_of(names.source, "source_name: 'job'"), 15)
    ]
    assert "'job' is a generic word" in warnings[0].message
