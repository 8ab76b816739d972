"""The real `liqueue` command on bad inputs: one line on stderr, no traceback, bounded memory.

Each case runs in its own process, which reports its own peak resident
memory (VmHWM) on the way out; it must stay under MEMORY_BOUND.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.bad_apps import INDEX, in_job

MEMORY_BOUND_KB = 300 * 1024
# VmHWM, not getrusage's ru_maxrss: Linux carries the maxrss of the process
# that forked across exec, so a child of a large pytest would seem large.
PEAK = (
    "import os, runpy, sys\n"
    "sys.argv = ['liqueue', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('liqueue.cli', run_name='__main__')\n"
    "finally:\n"
    "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
    "    open(os.environ['PEAK_FILE'], 'w').write(status.split()[0])\n"
)

# (id, page source, extra CLI arguments, what stderr says)
CASES: list[tuple[str, str | bytes, list[str], str]] = [
    ("not-utf8", b"a\xff", [], f"{INDEX}:1:2: not UTF-8 text"),
    ("range-join", "{{ (1..100000000) | join: ',' }}", [], f"{INDEX}:1:4: range (1..100000000)"),
    ("range-log", "{% log (1..100000000) %}", [], f"{INDEX}:1:8: range"),
    ("range-background", "{% background r: (1..100000000), source_name: 'a_b' %}{% endbackground %}", [], f"{INDEX}:1:18: range"),
    ("date", "{{ 99999999999999 | date: '%Y' }}", [], f"{INDEX}:1:21: date: cannot read number"),
    ("delay", "{% background delay: 1" + "0" * 400 + ", source_name: 'a_b' %}{% endbackground %}", [], f"{INDEX}:1:15: delay is at most"),
    ("parse-json", "{{ params.d | parse_json }}", ["-p", "d=" + '"' + "[" * 3000 + "]" * 3000 + '"'], ""),
    ("params-json-deep", "x", ["--params-json", '{"a":' + "[" * 5000 + "]" * 5000 + "}"], "nested more than 100 levels deep"),
    ("param-deep", "x", ["-p", "a=" + "[" * 5000 + "]" * 5000], "a: nested more than 100 levels deep"),
    ("too-many-jobs", "{% for i in (1..1000000) %}{% background source_name: 'a_b' %}{% endbackground %}{% endfor %}", [], f"{INDEX}:1:28: this render already queued 10,000 jobs"),
    ("too-large", "{{ x }}" * 300_000, [], f"{INDEX}: the file is 2,100,000 bytes"),
    ("doubling-log", "{% assign h = '{}' | parse_json %}{% for i in (1..60) %}{% assign h = '{}' | parse_json | hash_add_key: 'l', h | hash_add_key: 'r', h %}{% endfor %}{% log h %}", [], f"{INDEX}:1:149: the log message is more than"),
    ("job-body", in_job("{{ (1..100000000) | join }}"), [], "queued job"),
]  # fmt: skip


def _run(args: list[str], tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    peak_file = tmp_path / "peak"
    env = {**os.environ, "PEAK_FILE": str(peak_file)}
    env.pop("LIQUEUE_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *args], capture_output=True, text=True, env=env, timeout=300
    )
    return done, int(peak_file.read_text())


@pytest.mark.parametrize(
    ("page", "args", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_the_cli_reports_one_line_within_bounded_memory(
    tmp_path: Path, page: str | bytes, args: list[str], says: str
) -> None:
    root = tmp_path / "app_root"
    (root / "app/views/pages").mkdir(parents=True)
    if isinstance(page, bytes):
        (root / INDEX).write_bytes(page)
    else:
        (root / INDEX).write_text(page)
    done, peak_kb = _run(["render", str(root), "index", *args], tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    assert peak_kb < MEMORY_BOUND_KB, f"peak {peak_kb // 1024} MB"
    if says == "queued job":  # the page is fine; the job fails alone, later
        assert done.returncode == 0, done.stderr
        worker, peak_kb = _run(["worker", str(root), "--burst"], tmp_path)
        assert "Traceback" not in worker.stderr + worker.stdout
        assert peak_kb < MEMORY_BOUND_KB, f"peak {peak_kb // 1024} MB"
        return
    lines = done.stderr.splitlines()
    if not says:  # parse_json of a 3000-deep text: refused inside the render
        says = f"{INDEX}:1:15: parse_json: invalid JSON: nested more than 100 levels deep"
    assert len(lines) == 1 or (done.returncode == 2 and "Usage:" in done.stderr), done.stderr
    assert done.returncode != 0
    assert says in done.stderr, done.stderr
