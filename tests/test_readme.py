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


def _section_commands(title: str) -> list[str]:
    text = README.read_text()
    section = text[text.index(f"## {title}") :]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_calling_other_services_commands_work(tmp_path: Path) -> None:
    import shlex
    import subprocess
    import sys

    from tests.cli.test_example_shop import copy_shop

    check, demo = _section_commands("Calling other services")
    shop = copy_shop(tmp_path / "shop")  # its service on a free port, not 8765
    for command in (check, demo.split(" | ")[0]):
        args = shlex.split(command.replace("examples/shop", str(shop)))
        if args[1] == "demo":
            args.extend(["--port", "0"])  # 8000 may be taken on this machine
        assert args[0] == "liqueue"
        result = subprocess.run(
            [sys.executable, "-m", "liqueue.cli", *args[1:]],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    pattern = shlex.split(demo.split(" | ")[1])[-1]
    shown = [line for line in result.stdout.splitlines() if re.search(pattern, line)]
    assert "[attempt 3/3] - idempotent_charge - SUCCESS" in "\n".join(shown)
    assert sum("was already charged" in line for line in shown) == 2
