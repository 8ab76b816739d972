"""The JSON text a `background` tag writes for its arguments (`JobSpec.arguments_json`)
is the text the store would write for them: `json.dumps`, compact, unicode kept."""

from __future__ import annotations

import datetime
import decimal
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from liqueue.config import AppConfig, Limits
from liqueue.errors import JobOptionError
from liqueue.jobs import JobSpec
from liqueue.liquid import Runtime
from liqueue.store import rows

from .liquid_apps import AppDir


def dumped(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def written(spec: JobSpec) -> str:
    assert spec.arguments_json is not None
    assert spec.arguments_json == dumped(spec.arguments)
    assert rows.job_params([spec], 0.0)[0][5] == spec.arguments_json
    return spec.arguments_json


KINDS: dict[str, Any] = {
    "text": "plain",
    "unicode": 'é ü 中文 🎉 \u2028\u2029 \x00\x1f "q" \\ / \t\n',
    "empty_text": "",
    "int": 42,
    "negative": -7,
    "huge_int": 10**40,
    "float": 0.1,
    "tiny_float": 1e-300,
    "large_float": 1.5e300,
    "negative_zero": -0.0,
    "true": True,
    "false": False,
    "nil": None,
    "list": [1, "a", None, [2, [3, {"x": "ÿ"}]]],
    "object": {"b": 1, "a": {"nested": ["é", 1.25, False]}, "": "empty key"},
    "int_keys": {1: "one", 2: "two"},
    "clashing_keys": {1: "int", "1": "text"},
    "empty_list": [],
    "empty_object": {},
    "tuple": (1, 2),
    "markup": Markup("<b>é</b>"),
    "date": datetime.date(2026, 12, 1),
    "moment": datetime.datetime(2026, 12, 1, 19, 30, tzinfo=datetime.UTC),
    "decimal": decimal.Decimal("12.50"),
    "whole_decimal": decimal.Decimal("3"),
}


def test_every_kind_of_value_is_written_as_the_store_would(app: AppDir) -> None:
    names = ", ".join(f"{name}: {name}" for name in KINDS)
    app.page(
        "index",
        f"{{% background source_name: 'kinds', {names}, missing: nope, rng: (1..3), "
        "lit: 'é', n: 5, f: 2.5, t: true %}{% endbackground %}"
        "{% for i in (1..2) %}{% background source_name: 'drop', loop: forloop %}"
        "{% endbackground %}{% endfor %}"
        "{% background source_name: 'none' %}{% endbackground %}",
    )
    kinds, first, second, none = app.runtime().render("index", KINDS).outbox.jobs
    text = written(kinds)
    assert json.loads(text) == kinds.arguments
    assert list(kinds.arguments) == [*KINDS, "missing", "rng", "lit", "n", "f", "t"]
    assert kinds.arguments["clashing_keys"] == {"1": "text"}
    assert kinds.arguments["huge_int"] == 10**40
    assert '"unicode":"é ü 中文 🎉' in text  # not \\u-escaped
    assert written(first) != written(second)
    assert json.loads(written(second))["loop"]["last"] is True
    assert written(none) == "{}"


def test_partial_form_arguments_are_written_too(app: AppDir) -> None:
    app.partial("jobs/p", "{{ a }}")
    app.page("index", "{% background j = 'jobs/p', a: v, b: 'ü' %}")
    [spec] = app.runtime().render("index", {"v": [{"k": 1.5}]}).outbox.jobs
    assert written(spec) == '{"a":[{"k":1.5}],"b":"ü"}'


@pytest.mark.parametrize("character", ["x", "é"])
def test_arguments_just_within_the_limit_are_written_whole(app: AppDir, character: str) -> None:
    limit = 200
    # The tag counts 2 for the braces and len(name) + 4 per field (quotes,
    # colon, comma), then the value's JSON bytes: "…" is len(text) + 2.
    fits = (limit - 2 - 5 - 2) // len(character.encode())
    app.page("index", "{% background source_name: 'near', s: s %}{% endbackground %}")
    runtime = app.runtime(AppConfig(limits=Limits(job_arguments_bytes=limit)))
    [spec] = runtime.render("index", {"s": character * fits}).outbox.jobs
    assert written(spec) == '{"s":"' + character * fits + '"}'
    with pytest.raises(JobOptionError, match="more than 200 bytes as JSON"):
        runtime.render("index", {"s": character * (fits + 1)})


def test_a_nested_value_just_within_the_limit_is_written_compact(app: AppDir) -> None:
    # The limit goes by the spaced text the tag measures ("[1, 2]"); the
    # stored text is compact ("[1,2]"), never longer.
    app.page("index", "{% background source_name: 'near', l: l %}{% endbackground %}")
    runtime = app.runtime(AppConfig(limits=Limits(job_arguments_bytes=100)))
    longest = max(n for n in range(100) if 2 + 5 + len(json.dumps(list(range(n)))) <= 100)
    fits = list(range(longest))
    [spec] = runtime.render("index", {"l": fits}).outbox.jobs
    assert written(spec) == '{"l":' + dumped(fits) + "}"
    assert len(written(spec)) < 2 + 5 + len(json.dumps(fits))
    with pytest.raises(JobOptionError, match="more than 100 bytes as JSON"):
        runtime.render("index", {"l": list(range(longest + 1))})


# JSON data as a render's parameters can hold it, nested.
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)

ROOT = Path(tempfile.mkdtemp(prefix="liqueue-arguments-json-"))
(ROOT / "app/views/pages").mkdir(parents=True)
(ROOT / "app/views/pages/index.liquid").write_text(
    "{% background source_name: 'any', a: a, b: b %}{% endbackground %}"
)
RUNTIME = Runtime(ROOT, AppConfig())


@settings(max_examples=300, deadline=None)
@given(a=JSON_VALUES, b=JSON_VALUES)
def test_any_json_data_is_written_as_json_dumps_writes_it(a: object, b: object) -> None:
    [spec] = RUNTIME.render("index", {"a": a, "b": b}).outbox.jobs
    written(spec)
    assert json.loads(spec.arguments_json or "") == {"a": a, "b": b}


def test_an_int_too_long_to_write_is_an_error_naming_it(app: AppDir) -> None:
    app.page("index", "{% background source_name: 'big', n: 1, huge: h %}{% endbackground %}")
    with pytest.raises(JobOptionError, match="job argument 'huge' cannot be stored as JSON"):
        app.runtime().render("index", {"h": 10**5000})


@pytest.mark.parametrize("value", ["a\ud800b", ["ok", {"k": "\udfff"}]])
def test_a_lone_surrogate_is_an_error_naming_the_argument_and_its_place(
    app: AppDir, value: object
) -> None:
    # JSON may escape half a surrogate pair ("\ud800"): it decodes, but is not text.
    app.page("index", "ok\n{% background source_name: 'x', n: 1, s: v %}{% endbackground %}")
    with pytest.raises(JobOptionError) as raised:
        app.runtime().render("index", {"v": value})
    message = str(raised.value)
    assert "job argument 's' cannot be stored as JSON" in message and "surrogate" in message
    assert "index.liquid:2:" in message


def test_a_lone_surrogate_in_an_event_field_is_an_error_naming_the_field(app: AppDir) -> None:
    app.page("index", "{% trigger_event 'order.placed', order_id: 1, note: v %}")
    with pytest.raises(JobOptionError, match="event field 'note' cannot be stored as JSON"):
        app.runtime().render("index", {"v": "\ud83d"})
