"""Golden Liquid conformance: platform filters must not change standard Liquid.

Every case of the Golden Liquid suite (jg-rp/golden-liquid, MIT) is rendered
through an environment with liqueue's platform filters installed and compared
with plain python-liquid 2.x, and with the result or error the suite expects.

The data file is not copied into the repository (its README asks projects to
read it in place); it is found at $LIQUEUE_GOLDEN_LIQUID, else at
tests/liquid/golden/golden_liquid.json, else at
../shared/conformance/golden-liquid/golden_liquid.json next to the checkout.
Without it the module is skipped, saying so.
"""

from __future__ import annotations

import importlib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from liquid import DictLoader, Environment
from liquid.exceptions import LiquidError

from liqueue.clock import ManualClock
from liqueue.liquid.filters import register_filters

GOLDEN_NAME = "golden_liquid.json"
REPO = Path(__file__).resolve().parents[2]


def _golden_path() -> Path | None:
    candidates = [
        Path(os.environ["LIQUEUE_GOLDEN_LIQUID"])
        if "LIQUEUE_GOLDEN_LIQUID" in os.environ
        else None,
        Path(__file__).parent / "golden" / GOLDEN_NAME,
        REPO.parent / "shared" / "conformance" / "golden-liquid" / GOLDEN_NAME,
    ]
    return next((path for path in candidates if path is not None and path.is_file()), None)


GOLDEN_PATH = _golden_path()
CASES: list[dict[str, Any]] = (
    json.loads(GOLDEN_PATH.read_text(encoding="utf-8"))["tests"] if GOLDEN_PATH else []
)
CASE_NAMES = {case["name"] for case in CASES}

# python-liquid 2.3.6 itself renders these differently from Ruby Liquid; the
# platform filters are not involved, so only the comparison with the golden
# expectation is skipped (the comparison with plain python-liquid still runs).
# (liqueue.liquid.ruby_blank gives `nil`, `false` and undefined values Ruby's
# `== blank`, process-wide, so those four golden cases pass here.)
ENGINE_DEVIATIONS = {
    "tags, case, unexpected when token, strict2": "python-liquid parses Ruby's strict2 error",
    "tags, comment, incomplete tags are not parsed": "python-liquid tolerates the broken tag",
}

# liqueue's output buffers keep "\r\n" and "\r" (liqueue.liquid.output), which
# python-liquid's limited buffer would turn into "\n"; no deviation of its own.
LIQUEUE_ENV_DEVIATIONS = dict(ENGINE_DEVIATIONS)

# Cases where liqueue's filters deliberately differ from plain python-liquid.
# The Ruby nil/boolean fixes (ruby_strings.py) and the UTC `%s` fix (times.py)
# change no golden case today; list any case they do change here, with why.
INTENTIONAL_DIFFERENCES: dict[str, str] = {}


@pytest.fixture(autouse=True, scope="module")
def utc_process_time_zone() -> Iterator[None]:
    """Golden expectations are Ruby's on a UTC host; plain python-liquid reads local time."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


Outcome = tuple[str, str]


def _render(env: Environment, case: dict[str, Any]) -> Outcome:
    try:
        return "ok", env.from_string(case["template"]).render(**case.get("data", {}))
    except LiquidError as err:
        return "error", type(err).__name__


def _plain_env(case: dict[str, Any]) -> Environment:
    return Environment(loader=DictLoader(case.get("templates", {})))


def _platform_env(case: dict[str, Any]) -> Environment:
    env = _plain_env(case)
    register_filters(env, ManualClock())
    return env


def _params(skips: dict[str, str]) -> list[Any]:
    return [
        pytest.param(
            case,
            id=case["name"],
            marks=[pytest.mark.skip(reason=skips[case["name"]])] if case["name"] in skips else [],
        )
        for case in CASES
    ]


def _assert_expected(outcome: Outcome, case: dict[str, Any]) -> None:
    if case.get("invalid"):
        assert outcome[0] == "error", f"expected a Liquid error, rendered {outcome[1]!r}"
        return
    accepted = case["results"] if "results" in case else [case["result"]]
    assert outcome[0] == "ok", f"unexpected {outcome[1]}"
    assert outcome[1] in accepted


pytestmark = pytest.mark.skipif(
    GOLDEN_PATH is None,
    reason=f"{GOLDEN_NAME} not found: set LIQUEUE_GOLDEN_LIQUID or see the module docstring",
)


def test_suite_is_loaded_and_skip_lists_name_real_cases() -> None:
    assert len(CASES) > 1000
    stale = (set(LIQUEUE_ENV_DEVIATIONS) | set(INTENTIONAL_DIFFERENCES)) - CASE_NAMES
    assert not stale, f"skip lists name cases the suite does not have: {sorted(stale)}"


@pytest.mark.parametrize("case", _params(INTENTIONAL_DIFFERENCES))
def test_platform_filters_render_like_plain_python_liquid(case: dict[str, Any]) -> None:
    assert _render(_platform_env(case), case) == _render(_plain_env(case), case)


@pytest.mark.parametrize("case", _params(ENGINE_DEVIATIONS))
def test_platform_filters_render_what_golden_liquid_expects(case: dict[str, Any]) -> None:
    _assert_expected(_render(_platform_env(case), case), case)


def _liqueue_builder() -> Callable[..., Environment] | None:
    """liqueue.liquid.environment.build_environment (platform tags + filters), if importable."""
    try:
        module = importlib.import_module("liqueue.liquid.environment")
    except ImportError:
        return None
    builder: Callable[..., Environment] | None = getattr(module, "build_environment", None)
    return builder


BUILD_ENVIRONMENT = _liqueue_builder()


def _liqueue_env(case: dict[str, Any], root: Path) -> Environment:
    """An application at `root` whose partials are the case's templates."""
    from liqueue.config import AppConfig

    partials = root / "app" / "views" / "partials"
    partials.mkdir(parents=True)
    for name, source in case.get("templates", {}).items():
        (partials / f"{name}.liquid").write_text(source, encoding="utf-8")
    assert BUILD_ENVIRONMENT is not None
    return BUILD_ENVIRONMENT(root, AppConfig())


@pytest.mark.skipif(
    BUILD_ENVIRONMENT is None,
    reason="liqueue.liquid.environment.build_environment is not importable",
)
@pytest.mark.parametrize("case", _params(LIQUEUE_ENV_DEVIATIONS))
def test_liqueue_environment_renders_what_golden_liquid_expects(
    case: dict[str, Any], tmp_path: Path
) -> None:
    _assert_expected(_render(_liqueue_env(case, tmp_path), case), case)
