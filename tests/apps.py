"""The one builder of application directories the tests run: Liquid files on disk."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_file(root: Path, relative: str, text: str) -> Path:
    """Write `text` at `relative` under `root`, creating directories."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_app(
    root: Path, files: dict[str, str], config: str = "", *, with_sleep: bool = False
) -> Path:
    """Create an app under `root`: `files` maps paths under `app/` to Liquid source.

    `with_sleep` gives its templates the host function `py:test.sleep` (see `sleep`)."""
    (root / "app" / "views" / "pages").mkdir(parents=True, exist_ok=True)
    (root / "app" / "views" / "partials").mkdir(parents=True, exist_ok=True)
    for relative, source in files.items():
        write_file(root, f"app/{relative}", textwrap.dedent(source).lstrip("\n"))
    config = textwrap.dedent(config).lstrip("\n")
    if with_sleep:
        write_file(root, f"{SLEEP_MODULE}.py", SLEEP_SOURCE)
        config += f"functions: {SLEEP_MODULE}:FUNCTIONS\n"
    if config:
        write_file(root, "liqueue.yml", config)
    return root


# A job that must still be running when a test acts (a signal, a second process
# starting) lasts a set time, not a number of loop turns: each speed-up of
# rendering shortened loop-timed jobs until their tests failed now and then.
# The module sits beside liqueue.yml, so worker processes import it too.
SLEEP_MODULE = "liqueue_test_sleep"
SLEEP_SOURCE = """import time

FUNCTIONS = {"test.sleep": lambda seconds: time.sleep(seconds)}
"""


def sleep(seconds: float | str) -> str:
    """Liquid that holds its job for `seconds`, a number or a Liquid expression
    (in an app written `with_sleep`)."""
    return f"{{% function _ = 'py:test.sleep', seconds: {seconds} %}}"


# Several seconds of pure Liquid work, for time limits, SIGTERM and kill -9
# (compiled rendering turns an empty loop's 3,000,000 turns in under a second).
SLOW_LOOP = "{% for i in (1..12000000) %}{% endfor %}"
