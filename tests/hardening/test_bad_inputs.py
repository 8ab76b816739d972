"""The catalogue of bad inputs: each gives one placed line, queues nothing, stops no worker.

Each table row is one bad input: a setting in `liqueue.yml`, a template file,
a page, a job body, a command-line value. The promise checked for each: a
`LiqueueError` whose text is one line starting with `file:line` and saying
the problem; a failed render queues nothing; a failed job fails alone.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest

from liqueue.app import App
from liqueue.errors import ConfigError
from liqueue.jobs import JobState
from liqueue.store import JobQuery, LogQuery
from tests.hardening.bad_apps import (
    INDEX,
    Bad,
    assert_placed,
    in_job,
    job_error,
    open_app,
    render_error,
)

# -- liqueue.yml ----------------------------------------------------------------

SETTINGS: list[tuple[str, str | bytes, int, str]] = [
    # (id, liqueue.yml, line of the error, what it says)
    ("priorities-not-mapping", "x: 1\n", 1, r"x: unknown setting; known: constants"),
    ("priority-value-number", "priorities: {high: 5}\n", 1, r"priorities\.high: expected a mapping"),
    ("priorities-list", "priorities: [high]\n", 1, r"priorities: expected a mapping .* got a list"),
    ("priority-unknown", "priorities:\n  urgent: {weight: 1}\n", 2, r"priorities\.urgent: unknown priority"),
    ("priority-unknown-key", "priorities:\n  high:\n    wieght: 2\n", 3, r"priorities\.high\.wieght: unknown key"),
    ("weight-text", "priorities:\n  low: {weight: lots}\n", 2, r"priorities\.low\.weight: expected a whole number, got the text 'lots'"),
    ("weight-zero", "priorities:\n  low: {weight: 0}\n", 2, r"weight: must be at least 1"),
    ("weight-fraction", "priorities:\n  low: {weight: 1.5}\n", 2, r"weight: expected a whole number"),
    ("time-limit-zero", "priorities:\n  high: {time_limit: 0}\n", 2, r"time_limit: must be more than 0"),
    ("time-limit-negative", "priorities:\n  high: {time_limit: -5s}\n", 2, r"time_limit: must be more than 0"),
    ("time-limit-text", "priorities:\n  high: {time_limit: soon}\n", 2, r"time_limit: not a duration"),
    ("database-url-number", "database_url: 5\n", 1, r"database_url: expected text, got 5"),
    ("environment-list", "\nenvironment: [a]\n", 2, r"environment: expected text"),
    ("limits-text", "limits: {output_bytes: lots}\n", 1, r"limits\.output_bytes: expected a whole number, got the text 'lots'"),
    ("limits-negative", "limits:\n  loop_iterations: -1\n", 2, r"limits\.loop_iterations: must be at least 1"),
    ("limits-zero", "limits:\n  output_bytes: 0\n", 2, r"limits\.output_bytes: must be at least 1"),
    ("limits-unknown", "limits:\n  loops: 5\n", 2, r"limits\.loops: unknown key; known: include_depth"),
    ("limits-list", "limits: [1]\n", 1, r"limits: expected a mapping"),
    ("limits-bool", "limits:\n  jobs_per_render: true\n", 2, r"jobs_per_render: expected a whole number"),
    ("constants-date", "constants:\n  launch: 2026-01-01\n", 2, r"constants\.launch: a date is not a JSON value; quote it"),
    ("constants-datetime", "constants:\n  at: 2026-01-01 10:00:00\n", 2, r"constants\.at: a datetime is not a JSON value"),
    ("constants-nested-date", "constants:\n  a:\n    - 1\n    - 2026-01-01\n", 4, r"constants\.a\.1: a date"),
    ("constants-binary", "constants:\n  b: !!binary aGVsbG8=\n", 2, r"constants\.b: a bytes is not a JSON value"),
    ("constants-number-key", "constants:\n  5: x\n", 2, r"constants\.5: names must be text"),
    ("constants-nan", "constants:\n  n: .nan\n", 2, r"constants\.n: nan is not a JSON number"),
    ("constants-list", "constants: [1, 2]\n", 1, r"constants: expected a mapping"),
    ("lease-zero", "lease_seconds: 0\n", 1, r"lease_seconds: must be at least 1s"),
    ("lease-negative", "lease_seconds: -30\n", 1, r"lease_seconds: must be at least 1s"),
    ("lease-too-short", "lease_seconds: 200ms\n", 1, r"lease_seconds: must be at least 1s"),
    ("lease-infinite", "lease_seconds: .inf\n", 1, r"lease_seconds: must be at most 100 years"),
    ("lease-huge-integer", "lease_seconds: 1" + "0" * 400 + "\n", 1, r"lease_seconds: not a duration: .* too large"),
    ("poll-zero", "poll_interval: 0\n", 1, r"poll_interval: must be at least 0\.01s"),
    ("poll-negative", "poll_interval: -1s\n", 1, r"poll_interval: must be at least"),
    ("backoff-negative", "retry_backoff: [5s, -1s]\n", 1, r"retry_backoff\.1: must be at least 0s"),
    ("backoff-empty", "retry_backoff: []\n", 1, r"retry_backoff: needs at least one wait"),
    ("backoff-not-list", "retry_backoff: 5s\n", 1, r"retry_backoff: expected a list of waits"),
    ("backoff-text", "retry_backoff:\n  - 5s\n  - later\n", 3, r"retry_backoff\.1: not a duration"),
    ("jitter-one", "retry_jitter: 1\n", 1, r"retry_jitter: must be at least 0 and less than 1"),
    ("jitter-negative", "retry_jitter: -0.1\n", 1, r"retry_jitter: must be at least 0"),
    ("jitter-text", "retry_jitter: some\n", 1, r"retry_jitter: expected a fraction"),
    ("keep-done-negative", "keep_done: -1d\n", 1, r"keep_done: must be at least 0s"),
    ("keep-dead-text", "keep_dead: forever\n", 1, r"keep_dead: not a duration"),
    ("not-utf8", b"environment: caf\xe9\n", 1, r"not UTF-8 text"),
    ("not-utf8-line-3", b"a: 1\n\nb: \xff\n", 3, r"not UTF-8 text"),
    ("invalid-yaml", "a: [\n", 2, r"invalid YAML"),
    ("not-a-mapping", "- 1\n", 1, r"expected a mapping of settings"),
    ("billion-laughs",
     'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
     + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
     + "constants: {x: *i}\n",
     6, r"expands to more than 1,000,000 characters"),
    ("recursive-alias", "constants: &c\n  self: *c\n", 1, r"an alias refers to the value that contains it"),
    ("deep-nesting", "constants: " + "[" * 5000 + "]" * 5000 + "\n", 1, r"nested more than 100 levels deep"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "line", "says"), [c[1:] for c in SETTINGS], ids=[c[0] for c in SETTINGS]
)
def test_a_bad_setting_names_the_file_line_and_key(
    tmp_path: Path, text: str | bytes, line: int, says: str
) -> None:
    (tmp_path / "app").mkdir()
    config = tmp_path / "liqueue.yml"
    if isinstance(text, bytes):
        config.write_bytes(text)
    else:
        config.write_text(text)
    with pytest.raises(ConfigError) as caught:
        App(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{config}:{line}: "), message
    assert re.search(says, message), message


def test_a_settings_file_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "liqueue.yml").mkdir()
    with pytest.raises(ConfigError, match=r"liqueue\.yml: not a file$"):
        App(tmp_path)


def test_aliases_that_stay_small_are_fine(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "liqueue.yml").write_text("constants:\n  base: &b {a: 1}\n  copy: *b\n")
    assert App(tmp_path).config.constants == {"base": {"a": 1}, "copy": {"a": 1}}


# -- template files -------------------------------------------------------------

FILES: list[Bad] = [
    Bad("not-utf8", {INDEX: b"a\xff"}, f"{INDEX}:1:2", r"not UTF-8 text \(byte 0xff\)"),
    Bad("not-utf8-line-2", {INDEX: "ok\nalso é ok ".encode() + b"\xc3("}, f"{INDEX}:2:11", "not UTF-8"),
    Bad("not-utf8-after-bom", {INDEX: b"\xef\xbb\xbfab\xfe"}, f"{INDEX}:1:3", "not UTF-8"),
    Bad("not-utf8-latin1", {INDEX: "caf\xe9".encode("latin-1")}, f"{INDEX}:1:4", "not UTF-8"),
    Bad("not-utf8-partial", {INDEX: "{% include 'p' %}", "app/views/partials/p.liquid": b"\n\x80"},
        "app/views/partials/p.liquid:2:1", "not UTF-8"),
    Bad("too-large", {INDEX: "{{ x }}" * 200_000}, INDEX, r"1,400,000 bytes, more than limits\.template_bytes \(1,000,000\)"),
    Bad("too-large-partial", {INDEX: "{% render 'big' %}", "app/views/partials/big.liquid": "x" * 1_000_001},
        "app/views/partials/big.liquid", r"limits\.template_bytes"),
]  # fmt: skip


@pytest.mark.parametrize("case", FILES, ids=lambda c: c.id)
def test_a_bad_template_file_is_a_placed_error(tmp_path: Path, case: Bad) -> None:
    case.write(tmp_path)
    with open_app(tmp_path) as app:
        assert_placed(render_error(app), case)
        problems = [str(p) for p in app.check() if p.severity == "error"]
    assert any(p.startswith(case.where + ": error: ") for p in problems), problems


def _link_out(tmp_path: Path, link: str) -> Path:
    root = tmp_path / "app_root"
    outside = tmp_path / "secret.liquid"
    outside.write_text("the secret")
    (root / Path(link).parent).mkdir(parents=True)
    os.symlink(outside, root / link)
    return root


def test_a_partial_linking_outside_the_app_is_not_read(tmp_path: Path) -> None:
    root = _link_out(tmp_path, "app/views/partials/p.liquid")
    case = Bad(
        "link",
        {INDEX: "\n{% include 'p' %}"},
        f"{INDEX}:2:12",
        r"a link to .*secret\.liquid outside the application",
    )
    case.write(root)
    with open_app(root) as app:
        assert_placed(render_error(app), case)
        problems = [str(p) for p in app.check()]
    assert any("p.liquid: error: a link to" in p for p in problems), problems


def test_a_page_linking_outside_the_app_is_not_read(tmp_path: Path) -> None:
    root = _link_out(tmp_path, INDEX)
    case = Bad("link", {}, INDEX, r"a link to .*secret\.liquid outside the application")
    with open_app(root) as app:
        message = render_error(app)
    assert_placed(message, case)
    assert "the secret" not in message


def test_a_page_read_once_then_replaced_by_a_link_out_is_not_read(tmp_path: Path) -> None:
    # The loader trusts a file it read while it is the same file; a link leads to
    # another, even one of the same size and time.
    root = tmp_path / "app_root"
    Bad("", {INDEX: "inside"}, "", "").write(root)
    outside = tmp_path / "secret.liquid"
    outside.write_text("secret")
    page = os.stat(root / INDEX)
    os.utime(outside, ns=(page.st_atime_ns, page.st_mtime_ns))
    with open_app(root) as app:
        assert app.render("index").output == "inside"
        (root / INDEX).unlink()
        os.symlink(outside, root / INDEX)
        message = render_error(app)
    assert_placed(message, Bad("link", {}, INDEX, r"a link to .*secret\.liquid outside"))
    assert "secret\n" not in message


def test_a_link_inside_the_app_is_followed(tmp_path: Path) -> None:
    Bad("", {"app/views/partials/real.liquid": "real"}, "", "").write(tmp_path)
    os.symlink(
        tmp_path / "app/views/partials/real.liquid", tmp_path / "app/views/partials/p.liquid"
    )
    (tmp_path / INDEX).write_text("{% include 'p' %}")
    with open_app(tmp_path) as app:
        assert app.render("index").output == "real"


# -- values in templates: pages and job bodies alike ------------------------------

BIG = "1" + "0" * 400
DEEP = "[" * 5000 + "]" * 5000
DEEP_HASH = '{"a":' * 101 + "1" + "}" * 101
MB = "{% capture s %}{% for i in (1..130000) %}xxxxxxxx{% endfor %}{% endcapture %}"
DOUBLING = (
    "{% assign h = '{}' | parse_json %}{% for i in (1..40) %}"
    "{% assign h = '{}' | parse_json | hash_add_key: 'l', h | hash_add_key: 'r', h %}{% endfor %}"
)
DEEPEN = (
    "{% assign d = '{}' | parse_json %}{% for i in (1..2000) %}"
    "{% assign d = '{}' | parse_json | hash_add_key: 'a', d %}{% endfor %}"
)
JOB = "{% background source_name: 'inner_job' %}{% endbackground %}"
GOOD = "source_name: 'bad_value_job'"

# (id, the line before (line 1 of the snippet), the bad line (line 2), column, what it says)
VALUES: list[tuple[str, str, str, int, str]] = [
    ("delay-huge-integer", "", f"{{% background delay: {BIG}, {GOOD} %}}{{% endbackground %}}", 15, r"delay is at most 52,560,000 minutes .* \(401 characters\)"),
    ("delay-huge-float", "", f"{{% background delay: {BIG}.5, {GOOD} %}}{{% endbackground %}}", 15, r"delay must be a finite number"),
    ("delay-huge-text", "", f"{{% background delay: '{BIG}', {GOOD} %}}{{% endbackground %}}", 15, r"delay must be a finite number"),
    ("delay-nan-text", "", f"{{% background delay: 'nan', {GOOD} %}}{{% endbackground %}}", 15, r"delay must be a finite number"),
    ("max-attempts-huge", "", f"{{% background max_attempts: {BIG}, {GOOD} %}}{{% endbackground %}}", 15, r"max_attempts must be a whole number"),
    ("max-attempts-huge-text", "", f"{{% background max_attempts: '1e400', {GOOD} %}}{{% endbackground %}}", 15, r"max_attempts"),
    ("date-epoch-huge", "", "{{ 99999999999999 | date: '%Y' }}", 21, r"date: cannot read number 99999999999999 as a time: year 3170843 is out of range"),
    ("date-epoch-negative", "", "{{ -99999999999999 | date: '%Y' }}", 22, r"date: cannot read number"),
    ("date-epoch-text", "", "{{ '99999999999999' | date: '%Y' }}", 23, r"date: cannot read string"),
    ("date-huge-float", "", f"{{{{ {BIG}.5 | date: '%Y' }}}}", 410, r"date expected datetime"),
    ("date-epoch-seconds", "", "{{ 99999999999999 | date: '%s' }}", 21, r"date: cannot read number"),
    ("add-to-time-years", "", "{{ 'now' | add_to_time: 1e20, 'y' }}", 12, r"add_to_time"),
    ("add-to-time-days", "", "{{ 'now' | add_to_time: 100000000000000000000, 'd' }}", 12, r"add_to_time: the result is outside the years 1 to 9999"),
    ("parse-json-deep-array", f"{{% assign d = '{DEEP}' %}}", "{{ d | parse_json }}", 8, r"parse_json: invalid JSON: nested more than 100 levels deep"),
    ("parse-json-deep-hash", f"{{% assign d = '{DEEP_HASH}' %}}", "{{ d | parse_json }}", 8, r"nested more than 100 levels deep"),
    ("to-hash-deep", f"{{% assign d = '{DEEP}' %}}", "{{ d | to_hash }}", 8, r"nested more than 100 levels deep"),
    ("parse-json-huge-integer", "", "{{ '1" + "0" * 5000 + "' | parse_json }}", 5010, r"parse_json: invalid JSON"),
    ("range-join", "", "{{ (1..100000000) | join: ',' }}", 4, r"range \(1\.\.100000000\) has 100,000,000 items, more than the loop limit of 1,000,000"),
    ("range-log", "", "{% log (1..100000000) %}", 8, r"more than the loop limit"),
    ("range-background", "", f"{{% background r: (1..100000000), {GOOD} %}}{{% endbackground %}}", 18, r"more than the loop limit"),
    ("range-for", "", "{% for i in (1..100000000) %}{% endfor %}", 13, r"more than the loop limit"),
    ("range-assign", "", "{% assign r = (1..100000000) %}", 15, r"more than the loop limit"),
    ("range-astronomic", "", "{{ (0..99999999999999999999999) | size }}", 4, r"has 100,000,000,000,000,000,000,000 items"),
    ("range-negative", "", "{{ (-100000000..0) | first }}", 4, r"more than the loop limit"),
    ("range-variable", "{% assign n = 50000000 %}", "{{ (1..n) | last }}", 4, r"range \(1\.\.50000000\)"),
    ("range-json", "", "{{ (1..2000000) | json }}", 4, r"more than the loop limit"),
    ("log-too-large", MB, "{% log s %}", 1, r"the log message is more than 1,000,000 bytes \(limits\.log_bytes\)"),
    ("log-object-too-large", MB, "{% log s | split: 'x' %}", 1, r"limits\.log_bytes"),
    ("log-doubling", DOUBLING, "{% log h %}", 1, r"limits\.log_bytes"),
    ("arguments-too-large", MB, f"{{% background text: s, {GOOD} %}}{{% endbackground %}}", 15, r"the job's arguments are more than 1,000,000 bytes as JSON \(limits\.job_arguments_bytes\) with 'text'"),
    ("arguments-together-too-large", "{% capture s %}{% for i in (1..70000) %}xxxxxxxx{% endfor %}{% endcapture %}", f"{{% background a: s, b: s, {GOOD} %}}{{% endbackground %}}", 21, r"limits\.job_arguments_bytes\) with 'b'"),
    ("arguments-doubling", DOUBLING, f"{{% background h: h, {GOOD} %}}{{% endbackground %}}", 15, r"limits\.job_arguments_bytes"),
    ("partial-arguments-doubling", DOUBLING, f"{{% background job_id = 'p', h: h, {GOOD} %}}", 29, r"limits\.job_arguments_bytes"),
    ("arguments-deep", DEEPEN, f"{{% background d: d, {GOOD} %}}{{% endbackground %}}", 15, r"job argument 'd' cannot be stored as JSON: nested too deep"),
    ("event-payload-too-large", MB, "{% trigger_event 'order.created', text: s %}", 35, r"the event's payload is more than 1,000,000 bytes as JSON \(limits\.job_arguments_bytes\) with 'text': pass ids"),
    ("event-payload-together-too-large", "{% capture s %}{% for i in (1..70000) %}xxxxxxxx{% endfor %}{% endcapture %}", "{% trigger_event 'order.created', a: s, b: s %}", 41, r"the event's payload is more than .* with 'b'"),
    ("event-payload-doubling", DOUBLING, "{% trigger_event 'order.created', h: h %}", 35, r"the event's payload is more than .*limits\.job_arguments_bytes"),
    ("event-payload-deep", DEEPEN, "{% trigger_event 'order.created', d: d %}", 35, r"event field 'd' cannot be stored as JSON: nested too deep"),
    ("too-many-jobs", "", f"{{% for i in (1..10001) %}}{JOB}{{% endfor %}}", 26, r"this render already queued 10,000 jobs, the most one render may \(limits\.jobs_per_render\)"),
    ("too-many-jobs-nested", "", f"{{% for i in (1..101) %}}{{% for j in (1..100) %}}{JOB}{{% endfor %}}{{% endfor %}}", 47, r"limits\.jobs_per_render"),
    ("namespace-doubling", "{% assign s = 'ab' %}", "{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}", 26, r"local namespace limit reached"),
    ("list-doubling", "{% assign a = 'x,y' | split: ',' %}", "{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}", 26, r"local namespace limit reached"),
]  # fmt: skip


def _value_case(before: str, bad: str, column: int, says: str, *, job: bool) -> Bad:
    source = before + "\n" + bad
    page = in_job(source) if job else source
    files: dict[str, str | bytes] = {INDEX: page, "app/views/partials/p.liquid": ""}
    return Bad("", files, f"{INDEX}:2:{column}", says)


@pytest.mark.parametrize(
    ("before", "bad", "column", "says"), [v[1:] for v in VALUES], ids=[v[0] for v in VALUES]
)
def test_a_bad_value_on_a_page_is_a_placed_error_and_queues_nothing(
    tmp_path: Path, before: str, bad: str, column: int, says: str
) -> None:
    case = _value_case(before, bad, column, says, job=False)
    case.write(tmp_path)
    with open_app(tmp_path) as app:
        assert_placed(render_error(app), case)


@pytest.mark.parametrize(
    ("before", "bad", "column", "says"), [v[1:] for v in VALUES], ids=[v[0] for v in VALUES]
)
def test_a_bad_value_in_a_job_body_fails_that_attempt_alone(
    tmp_path: Path, before: str, bad: str, column: int, says: str
) -> None:
    case = _value_case(before, bad, column, says, job=True)
    case.write(tmp_path)
    with open_app(tmp_path) as app:
        assert_placed(job_error(app), case)


# -- job rows edited by hand: one bad row never stops the queue -------------------

# (id, SQL assignment for SQLite, for PostgreSQL, claimed by a worker, what the problem says)
ROWS: list[tuple[str, str, str, bool, str]] = [
    ("arguments-not-json", "arguments = '{not json'", "arguments = '\"text\"'", True, r"arguments .* is not valid"),
    ("context-not-object", "context = '[1, 2]'", "context = '[1, 2]'", True, r"context .* is not valid \(not a JSON object\)"),
    ("run-at-absurd", "run_at = -1e300", "run_at = -1e300", True, r"run at -1e\+300 is not valid \(outside the years 1 to 9999\)"),
    ("origin-line-absurd", "origin_line = 1e20", "origin_line = 2000000000", True, r"origin line .* is not valid"),
    ("priority-unknown", "priority = 7", "priority = 7", False, r"priority 7 is not valid \(no priority has this rank\)"),
    ("state-unknown", "state = 'bogus'", "state = 'bogus'", False, r"state 'bogus' is not valid"),
]  # fmt: skip

ROW_PAGE = "{% for i in (1..3) %}{% background source_name: 'row_case' %}{% log 'ran' %}{% endbackground %}{% endfor %}"


def _liqueue(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LIQUEUE_DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "liqueue.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _edit_row(url: str, assignment: str, job_id: str) -> None:
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db, db:
            db.execute(f"UPDATE jobs SET {assignment} WHERE id = ?", (job_id,))
    else:
        with psycopg.connect(url, autocommit=True) as pg:
            pg.execute(f"UPDATE jobs SET {assignment} WHERE id = %s", (job_id,))


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
@pytest.mark.parametrize(
    ("sqlite_sql", "postgres_sql", "claimed", "says"),
    [r[1:] for r in ROWS],
    ids=[r[0] for r in ROWS],
)
def test_a_bad_job_row_is_shown_with_its_problem_and_stops_no_worker(
    tmp_path: Path,
    request: pytest.FixtureRequest,
    backend: str,
    sqlite_sql: str,
    postgres_sql: str,
    claimed: bool,
    says: str,
) -> None:
    url = f"sqlite:///{tmp_path}/q.db" if backend == "sqlite" else request.getfixturevalue("pg_url")
    Bad("", {INDEX: ROW_PAGE}, "", "").write(tmp_path)
    app_args = [str(tmp_path), "--db", url]
    assert _liqueue("render", *app_args, "index").returncode == 0
    with App(tmp_path, database_url=url) as app:
        ids = sorted(job.id for job in app.store.list_jobs(JobQuery(limit=10)))
    bad_id = ids[1]
    _edit_row(url, sqlite_sql if backend == "sqlite" else postgres_sql, bad_id)

    listed = _liqueue("jobs", "list", *app_args)
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stderr
    shown = _liqueue("jobs", "show", *app_args, bad_id)
    assert shown.returncode == 0, shown.stderr
    assert re.search("unreadable job row: " + says, shown.stdout), shown.stdout

    worked = _liqueue("worker", *app_args, "--burst")
    assert worked.returncode == 0, worked.stderr
    assert "Traceback" not in worked.stderr
    with App(tmp_path, database_url=url) as app:
        jobs = {job.id: job for job in app.store.list_jobs(JobQuery(limit=10))}
        logs = [e.message for e in app.store.read_logs(LogQuery(job_id=bad_id))]
    assert [jobs[i].state for i in ids if i != bad_id] == [JobState.DONE, JobState.DONE]
    bad = jobs[bad_id]
    assert bad.state is JobState.DEAD
    assert (bad.error_message or "").startswith("unreadable job row: "), bad
    if claimed:  # by a worker, that sets it dead at once
        assert re.search("unreadable job row: " + says, bad.error_message or ""), bad
        assert any("FAILED - 0ms - unreadable job row: " in line for line in logs), logs
        assert "set dead: unreadable job row" in worked.stderr
    else:  # by no claim: the lifeline sets it dead
        assert any(
            f"job {bad_id} (row_case) set dead: unreadable job row: unknown " in line
            for line in logs
        ), logs


# -- a SQLite file that cannot be used: each command says which file and why -----

# APP stands where the application directory goes.
COMMANDS = [
    ["render", "APP", "index"],
    ["worker", "APP", "--burst"],
    ["jobs", "list", "APP"],
    ["logs", "APP"],
    ["stats", "APP"],
]


def _in_app(root: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    return _liqueue(*[str(root) if word == "APP" else word for word in command])


def _garbage(db: Path) -> None:
    db.write_bytes(b"this is not a database\n" * 300)


def _truncated(db: Path) -> None:
    db.write_bytes(db.read_bytes()[:8192])


def _zeroed(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[:4096] + bytes(len(data) - 4096))


def _directory(db: Path) -> None:
    db.unlink()
    (db / "inside").mkdir(parents=True)


# (id, what is done to a good database file, what every command says after the path)
DAMAGED: list[tuple[str, object, str]] = [
    ("garbage", _garbage, r" is damaged or not a SQLite database \(file is not a database\)"),
    ("truncated", _truncated, r" is damaged or not a SQLite database \(database disk image is malformed\)"),
    ("zeroed-pages", _zeroed, r" is damaged or not a SQLite database \(database disk image is malformed\)"),
    ("directory", _directory, r" is a directory, not a database file"),
]  # fmt: skip


def _good_database(root: Path) -> Path:
    Bad("", {INDEX: ROW_PAGE}, "", "").write(root)
    assert _liqueue("render", str(root), "index").returncode == 0
    db = root / ".liqueue" / "liqueue.db"
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        assert not extra.exists(), "the last connection to close checkpoints the WAL"
    return db


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, (done.returncode, done.stderr)
    # A worker says first that it starts (and may warn): the error is the last line.
    assert "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, done.stderr
    assert done.stderr.splitlines()[-1] == errors[0], done.stderr
    return errors[0].removeprefix("error: ")


@pytest.mark.parametrize(("damage", "says"), [d[1:] for d in DAMAGED], ids=[d[0] for d in DAMAGED])
def test_an_unusable_sqlite_file_is_one_line_naming_it_for_every_command(
    tmp_path: Path, damage: object, says: str
) -> None:
    db = _good_database(tmp_path)
    assert callable(damage)
    damage(db)
    for command in COMMANDS:
        message = _one_line_error(_in_app(tmp_path, command))
        assert re.fullmatch(re.escape(f"SQLite database {db}") + says + ".*", message), message


@pytest.fixture
def immutable() -> Iterator[Callable[[Path], None]]:
    """Make a path immutable (chattr +i), which even root cannot write; undone afterwards."""
    made: list[Path] = []

    def make(path: Path) -> None:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("chattr +i is not possible here")
        made.append(path)

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_database_is_one_line_for_a_write_and_still_readable(
    tmp_path: Path, immutable: Callable[[Path], None]
) -> None:
    db = _good_database(tmp_path)
    immutable(db)
    for command in COMMANDS[:2]:
        message = _one_line_error(_in_app(tmp_path, command))
        assert message.startswith(f"SQLite database {db} is read-only"), message
    listed = _liqueue("jobs", "list", str(tmp_path))
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("row_case") == 3


def test_an_unwritable_app_directory_is_one_line_naming_it(
    tmp_path: Path, immutable: Callable[[Path], None]
) -> None:
    Bad("", {INDEX: ROW_PAGE}, "", "").write(tmp_path)
    immutable(tmp_path)
    db = tmp_path / ".liqueue" / "liqueue.db"
    for command in COMMANDS:
        message = _one_line_error(_in_app(tmp_path, command))
        assert str(db) in message, message
        if command[0] in {"render", "worker"}:
            assert message.startswith(f"cannot create the directory {db.parent} "), message
            assert message.endswith("Operation not permitted"), message


def test_a_read_only_postgres_database_is_one_line_naming_it(tmp_path: Path, pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as admin:
        name = admin.execute("SELECT current_database()").fetchone()
        assert name is not None
        admin.execute(f'ALTER DATABASE "{name[0]}" SET default_transaction_read_only = on')
    Bad("", {INDEX: ROW_PAGE}, "", "").write(tmp_path)
    message = _one_line_error(_liqueue("render", str(tmp_path), "index", "--db", pg_url))
    assert message.startswith("PostgreSQL at "), message
    assert message.endswith(" in a read-only transaction"), message


def test_a_bad_row_fixed_by_hand_and_retried_runs_again(tmp_path: Path) -> None:
    Bad("", {INDEX: ROW_PAGE}, "", "").write(tmp_path)
    url = f"sqlite:///{tmp_path}/q.db"
    with App(tmp_path, database_url=url) as app:
        app.render("index")
        job_id = app.store.list_jobs(JobQuery(limit=1))[0].id
        _edit_row(url, "arguments = 'oops'", job_id)
        assert _liqueue("worker", str(tmp_path), "--db", url, "--burst").returncode == 0
        assert app.store.get_job(job_id).state is JobState.DEAD
        _edit_row(url, "arguments = '{}'", job_id)
        assert app.store.retry_jobs([job_id], app.clock.now()) == 1
        assert _liqueue("worker", str(tmp_path), "--db", url, "--burst").returncode == 0
        assert app.store.get_job(job_id).state is JobState.DONE
