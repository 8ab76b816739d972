"""Property: whatever a `background` tag is given, only liqueue's own errors escape.

Arguments and bodies are drawn from fragments of Liquid (literals at the edges
of every type, ranges, filters, stray delimiters, other tags); the page is
rendered, checked, and every job it queues is run. Each step may fail, but
only with a `LiqueueError`, never another exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liqueue.config import AppConfig
from liqueue.errors import LiqueueError
from liqueue.liquid import Runtime
from tests.hardening.bad_apps import INDEX
from tests.liquid.liquid_apps import job_from

VALUES = [
    "1", "-1", "0", "1" + "0" * 400, "1.5", "1" + "0" * 400 + ".5", "'nan'", "'inf'", "'-5'",
    "'high'", "'urgent'", "''", "'  '", "'a\nb'", "nil", "true", "false", "empty", "blank",
    "(1..5)", "(1..100000000)", "(-3..x)", "x", "x.y.z", "params", "context", "job",
    "'{}' | parse_json", "'[[[[[[1]]]]]]' | parse_json", "'x' | split: ''", "99999999999999 | date: '%Y'",
    "'now' | add_to_time: 1, 'd'", "x | default: 3", "'é' | append: '\u2028'", "'\\x00'",
    "5 | divided_by: 0", "'a' | nofilter", "(1..3) | join: ','", "'{% raw %}'",
]  # fmt: skip
KEYS = ["delay", "priority", "max_attempts", "source_name", "a", "b", "job", "context", "x-y", "_"]
BODIES = [
    "", "hello", "{{ a }}", "{{ job.attempt }}", "{% log a %}", "{% log (1..100000000) %}",
    "{% raise 'boom' %}", "{{ a | nofilter }}", "{% if %}", "{{", "{%", "%}", "}}", "{% endif %}",
    "{% for i in (1..3) %}{{ i }}{% endfor %}", "{% background source_name: 'in_job' %}x{% endbackground %}",
    "{% assign z = a | json %}{{ z }}", "{{ a | parse_json }}", "{{ 1 | divided_by: 0 }}",
    "{% include 'missing' %}", "{% function r = 'missing' %}", "{% return 1 %}", "\r\n", "\x00",
    "{% try %}{% raise 'x' %}{% catch e %}{{ e }}{% endtry %}", "{{ context.constants }}",
]  # fmt: skip

argument = st.tuples(st.sampled_from(KEYS), st.sampled_from(VALUES))
tag_arguments = st.lists(argument, max_size=5).map(
    lambda args: ", ".join(f"{k}: {v}" for k, v in args)
)
body = st.lists(st.sampled_from(BODIES), max_size=4).map("".join)
partial_form = st.booleans()

ROOT = Path(tempfile.mkdtemp(prefix="liqueue-fuzz-"))
(ROOT / "app/views/pages").mkdir(parents=True)
(ROOT / "app/views/partials").mkdir(parents=True)
(ROOT / "app/views/partials/p.liquid").write_text("{{ a }}{% log b %}")


def _swallowing_ours(step: object) -> object:
    assert callable(step)
    try:
        return step()
    except LiqueueError:
        return None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tag_arguments, body, partial_form)
def test_only_liqueue_errors_escape_a_background_tag(
    arguments: str, text: str, partial: bool
) -> None:
    if partial:
        source = f"{{% background job_id = 'p'{', ' if arguments else ''}{arguments} %}}"
    else:
        source = f"{{% background {arguments} %}}{text}{{% endbackground %}}"
    (ROOT / INDEX).write_text(source)
    runtime = Runtime(ROOT, AppConfig())
    _swallowing_ours(runtime.check)
    result = _swallowing_ours(lambda: runtime.render("index", {"x": {"y": 1}}))
    if result is None:
        return
    for spec in result.outbox.jobs:  # type: ignore[attr-defined]
        _swallowing_ours(lambda spec=spec: runtime.run_job(job_from(spec)))
