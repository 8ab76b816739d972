"""`liqueue logs`: the one line format, filters, JSON, newest N, --since."""

from __future__ import annotations

import json
import re
import time

from liqueue.app import App
from liqueue.jobs import JobState
from liqueue.logs import format_line
from liqueue.store import LogQuery
from tests.cli.conftest import Run
from tests.cli.seed import attempt, enqueue, log, spec


def seed_attempts(app: App) -> tuple[str, str]:
    """send_email fails then succeeds (812ms, 40ms); payment_gateway dies in 1500ms."""
    (email,) = enqueue(app, spec("send_email", max_attempts=3))
    attempt(app, email, fail=True, duration_ms=812, error="smtp timeout")
    attempt(app, email, fail=False, duration_ms=40)
    (payment,) = enqueue(app, spec("payment_gateway"))
    attempt(app, payment, fail=True, duration_ms=1500, final=JobState.DEAD, error="declined")
    return email, payment


def test_lines_are_format_line(run: Run, app: App) -> None:
    seed_attempts(app)
    log(app, "hello", type="email")
    result = run("logs", app.root)
    assert result.exit_code == 0
    expected = [format_line(e) for e in app.store.read_logs(LogQuery(last=100))]
    assert result.output.splitlines() == expected
    assert "[attempt 1/3] - send_email - FAILED - 812ms - smtp timeout" in result.output
    assert result.output.splitlines()[-1].endswith("] - email: hello")


def test_grep_recipes_of_the_seed(run: Run, app: App) -> None:
    seed_attempts(app)
    log(app, "not an attempt")
    lines = run("logs", app.root).output.splitlines()
    attempts = [line for line in lines if "attempt" in line and "[attempt" in line]
    assert len(attempts) == 3
    assert [line for line in lines if "FAILED" in line and "send_email" in line] == [
        line for line in attempts if "812ms" in line
    ]
    slow = [line for line in attempts if re.search(r"[5-9][0-9]{2}ms|[1-9][0-9]{3}ms", line)]
    assert len(slow) == 2  # 812ms and 1500ms, not 40ms


def test_filters(run: Run, app: App) -> None:
    email, _payment = seed_attempts(app)
    log(app, "mine", type="email", source_name="send_email", job_id=email)

    by_source = run("logs", app.root, "--source-name", "payment_gateway").output.splitlines()
    assert len(by_source) == 1 and "declined" in by_source[0]

    failed = run("logs", app.root, "--status", "failed").output.splitlines()
    assert len(failed) == 2 and all("FAILED" in line for line in failed)

    succeeded = run("logs", app.root, "--status", "SUCCESS").output.splitlines()
    assert len(succeeded) == 1 and "40ms" in succeeded[0]

    by_type = run("logs", app.root, "--type", "email").output.splitlines()
    assert len(by_type) == 1 and by_type[0].endswith("- email: mine")

    by_job = run("logs", app.root, "--job", email[:20]).output.splitlines()
    assert len(by_job) == 3 and not any("payment_gateway" in line for line in by_job)


def test_newest_n_printed_oldest_first(run: Run, app: App) -> None:
    start = time.time() - 100
    for i in range(5):
        log(app, f"entry {i}", at=start + i)
    lines = run("logs", app.root, "-n", "2").output.splitlines()
    assert [line.rsplit(": ", 1)[1] for line in lines] == ["entry 3", "entry 4"]


def test_default_is_the_whole_log(run: Run, app: App) -> None:
    # 224 entries, 10 of them failures: `logs | grep FAILED` must find all 10.
    start = time.time() - 1000
    for i in range(224):
        log(app, f"entry {i}" + (" FAILED" if i % 23 == 0 else ""), at=start + i)
    lines = run("logs", app.root).output.splitlines()
    assert len(lines) == 224
    assert lines[0].endswith("entry 0 FAILED") and lines[-1].endswith("entry 223")
    assert len([line for line in lines if "FAILED" in line]) == 10


def test_lines_are_in_time_order_not_write_order(run: Run, app: App) -> None:
    # A long job writes its lines when it ends: after lines that are newer.
    now = time.time()
    log(app, "second", at=now - 10)
    log(app, "first, from a long job", at=now - 60)
    log(app, "third", at=now - 5)
    lines = run("logs", app.root).output.splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "first, from a long job",
        "second",
        "third",
    ]
    newest = run("logs", app.root, "-n", "2").output.splitlines()
    assert [line.split(": ", 1)[1] for line in newest] == ["second", "third"]


def test_timestamps_end_in_z(run: Run, app: App) -> None:
    log(app, "hello", at=1_795_867_200.123)  # 2026-11-28 12:00:00.123 UTC
    assert run("logs", app.root).output == "[2026-11-28 12:00:00.123Z] - info: hello\n"


def test_pos_cli_spellings(run: Run, app: App) -> None:
    log(app, "mine", type="email")
    log(app, "other")
    assert run("logs", app.root, "--filter", "email").output.endswith("] - email: mine\n")
    quiet = run("logs", app.root, "-q", "--filter", "nothing-of-this-type")
    assert (quiet.exit_code, quiet.output) == (0, "")


def test_slower_than(run: Run, app: App) -> None:
    seed_attempts(app)  # 812ms, 40ms, 1500ms
    slow = run("logs", app.root, "--slower-than", "500ms").output.splitlines()
    assert [re.findall(r"\d+ms", line)[0] for line in slow] == ["812ms", "1500ms"]
    assert len(run("logs", app.root, "--slower-than", "1s").output.splitlines()) == 1
    assert run("logs", app.root, "--slower-than", "2s").output == ""


def test_help_says_which_grep_spelling_works(run: Run) -> None:
    text = run("logs", "--help").output
    assert "--slower-than" in text
    assert "grep -E '[5-9][0-9]{2}ms|[1-9][0-9]{3}ms'" in text
    assert "grep -P" in text and "\\d" in text


def test_since(run: Run, app: App) -> None:
    now = time.time()
    log(app, "two hours ago", at=now - 7200)
    log(app, "five minutes ago", at=now - 300)
    assert (
        run("logs", app.root, "--since", "10m").output.splitlines()[0].endswith("five minutes ago")
    )
    assert len(run("logs", app.root, "--since", "3h").output.splitlines()) == 2
    assert len(run("logs", app.root, "--since", "1d").output.splitlines()) == 2
    assert run("logs", app.root, "--since", "1m").output == ""


def test_json_lines(run: Run, app: App) -> None:
    seed_attempts(app)
    lines = run("logs", app.root, "--json", "--status", "FAILED").output.splitlines()
    entries = [json.loads(line) for line in lines]
    assert [(e["source_name"], e["duration_ms"], e["status"]) for e in entries] == [
        ("send_email", 812, "FAILED"),
        ("payment_gateway", 1500, "FAILED"),
    ]
    assert all(e["type"] == "attempt" and "time" in e for e in entries)


def test_empty_log_prints_nothing(run: Run, app: App) -> None:
    result = run("logs", app.root)
    assert result.exit_code == 0
    assert result.output == ""
