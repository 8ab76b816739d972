"""README's examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"

CHECKOUT = """
{% background max_attempts: 3, source_name: 'payment_process_charge', order_id: order.id %}
  {% if job.attempt == 1 %}{% raise 'gateway timeout' %}{% endif %}
  {% log 'charged order ' | append: order_id %}
{% endbackground %}
"""


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_readme_opens_with_exactly_the_two_setup_commands() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README.read_text(), re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["./scripts/example", "./scripts/test"]
    ci = (README.parent / ".ci" / "run").read_text()
    assert "./scripts/test" in ci


def test_the_testing_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = tmp_path / "myapp" / "app" / "views" / "pages"
    pages.mkdir(parents=True)
    (pages / "checkout.liquid").write_text(CHECKOUT)
    (tmp_path / "myapp" / "liqueue.yml").write_text("retry_jitter: 0\n")
    monkeypatch.chdir(tmp_path)
    [example] = [block for block in python_blocks() if "liqueue.testing" in block]
    exec(compile(example, "README.md", "exec"), {"tmp_path": tmp_path})
