"""`liqueue check` looks up the `py:` host functions templates name, in a real
app directory and a real process, importing the entry points as a call would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from liqueue.scaffold import create_app

FUNCTIONS = """\
from pathlib import Path

# A side effect the test counts: the module must be imported once, as by a call.
with (Path(__file__).parent / "imports.log").open("a") as log:
    log.write("imported\\n")


def mark_paid(order_id: int) -> dict[str, object]:
    return {"order_id": order_id}


FUNCTIONS = {"orders.mark_paid": mark_paid}


def broken() -> dict[str, object]:
    raise RuntimeError("no credentials for the orders service")
"""

PAGE = """\
{% function a = 'py:orders.mark_paid', order_id: 1 %}
  {% function b = 'py:orders.refund', order_id: 1 %}
{% function c = 'py:orders.void' %}
"""


def _app(tmp_path: Path, entry_point: str, page: str = PAGE) -> Path:
    root = tmp_path / "shop"
    create_app(root)
    (root / "shop_functions.py").write_text(FUNCTIONS)
    with (root / "liqueue.yml").open("a") as config:
        config.write(f"\nfunctions: {entry_point}\n")
    (root / "app/views/pages/pay.liquid").write_text(page)
    return root


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liqueue.cli", "check", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=root.parent,
    )


def test_a_missing_host_function_is_a_placed_error(tmp_path: Path) -> None:
    root = _app(tmp_path, "shop_functions:FUNCTIONS")
    result = _check(root)
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [
        "app/views/pages/pay.liquid:2:19: error: unknown host function 'py:orders.refund' "
        "(known: orders.mark_paid)",
        "app/views/pages/pay.liquid:3:17: error: unknown host function 'py:orders.void' "
        "(known: orders.mark_paid)",
    ]
    assert (root / "imports.log").read_text() == "imported\n"


def test_an_entry_point_that_cannot_be_loaded_is_named_at_each_tag(tmp_path: Path) -> None:
    root = _app(tmp_path, "shop_function:FUNCTIONS")  # a typo: no such module
    result = _check(root)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(errors) == 3
    assert errors[0] == (
        "app/views/pages/pay.liquid:1:17: error: host function 'py:orders.mark_paid' cannot "
        "be looked up: liqueue.yml functions: shop_function:FUNCTIONS: cannot import "
        "shop_function: No module named 'shop_function'"
    )
    assert "Traceback" not in result.stderr


def test_a_missing_attribute_is_named(tmp_path: Path) -> None:
    root = _app(tmp_path, "shop_functions:FUNCTIONZ")
    errors = [line for line in _check(root).stdout.splitlines() if ": error: " in line]
    assert errors[0].endswith(
        "liqueue.yml functions: shop_functions:FUNCTIONZ: shop_functions has no attribute FUNCTIONZ"
    )
    assert (root / "imports.log").read_text() == "imported\n"  # once, for three tags


def test_a_factory_that_raises_is_named_in_one_line(tmp_path: Path) -> None:
    root = _app(tmp_path, "shop_functions:broken")
    result = _check(root)
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors[0].endswith(
        "liqueue.yml functions: shop_functions:broken: broken raised RuntimeError: "
        "no credentials for the orders service"
    )
    assert "Traceback" not in result.stderr


def test_no_entry_point_is_imported_when_no_template_names_a_host_function(
    tmp_path: Path,
) -> None:
    root = _app(tmp_path, "shop_functions:FUNCTIONS", page="no functions here\n")
    result = _check(root)
    assert result.returncode == 0, result.stdout
    assert not (root / "imports.log").exists()
