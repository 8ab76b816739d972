"""`liqueue check`: `path:line:col: severity: message`, a summary, exit 1 only on errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shop"


def test_scaffold_has_no_problems(run: Run, app_dir: Path) -> None:
    result = run("check", app_dir)
    assert (result.exit_code, result.output) == (0, "no problems found\n")


def test_example_shop_has_no_errors(run: Run) -> None:
    result = run("check", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert ": error:" not in result.output
    # The only warning is the one the guide itself makes: `source_name: 'job'` is not descriptive.
    warnings = [line for line in result.output.splitlines() if ": warning:" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("app/views/pages/source-names.liquid:")
    assert result.output.splitlines()[-1] == "0 errors, 1 warning"


def test_errors_are_listed_and_fail(run: Run, app_dir: Path) -> None:
    pages = app_dir / "app/views/pages"
    (pages / "bad.liquid").write_text(
        "line one\n  {% background priority: 'urgent', source_name: 'payment_charge' %}{% endbackground %}\n"
    )
    (pages / "generic.liquid").write_text(
        "{% background source_name: 'job' %}{% endbackground %}\n"
    )
    result = run("check", app_dir)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == 1
    path, line, column, rest = errors[0].split(":", 3)
    assert (path, line) == ("app/views/pages/bad.liquid", "2")
    assert column.isdigit()
    assert "urgent" in rest
    assert lines[-1] == "1 error, 1 warning"


def test_warnings_alone_exit_0(run: Run, app_dir: Path) -> None:
    page = app_dir / "app/views/pages/generic.liquid"
    page.write_text("{% background source_name: 'job' %}{% endbackground %}\n")
    result = run("check", app_dir)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "0 errors, 1 warning"


def test_json_lists_every_problem_with_its_position(run: Run, app_dir: Path) -> None:
    page = app_dir / "app/views/pages/bad.liquid"
    page.write_text("{% background source_name: 'job', delay: -1 %}{% endbackground %}\n")
    result = run("check", app_dir, "--json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert [(p["path"], p["line"], p["severity"]) for p in problems] == [
        ("app/views/pages/bad.liquid", 1, "warning"),
        ("app/views/pages/bad.liquid", 1, "error"),
    ]
    assert set(problems[0]) == {"path", "line", "column", "severity", "message"}
