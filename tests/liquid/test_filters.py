"""Platform filters installed by liqueue.liquid.filters.register_filters."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
from typing import Any

import pytest
from liquid import Environment
from liquid.exceptions import FilterArgumentError, LiquidError, LiquidTypeError

from liqueue.clock import ManualClock
from liqueue.liquid.filters import PLATFORM_FILTERS, register_filters

START = 1_800_000_000  # 2027-01-15T08:00:00Z, ManualClock's default start
START_ISO = "2027-01-15T08:00:00.000Z"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def env(clock: ManualClock) -> Environment:
    environment = Environment()
    register_filters(environment, clock)
    return environment


def render(env: Environment, source: str, **data: Any) -> str:
    return env.from_string(source).render(**data)


def value_of(env: Environment, expression: str, **data: Any) -> Any:
    """The Python value an expression evaluates to, not its rendering."""
    captured: list[Any] = []
    env.add_filter("capture_value", captured.append)
    env.from_string(f"{{{{ {expression} | capture_value }}}}").render(**data)
    return captured[0]


# -- registration -------------------------------------------------------------


def test_register_filters_installs_every_listed_name(env: Environment) -> None:
    plain = Environment()
    for name in PLATFORM_FILTERS:
        assert name in env.filters
        assert env.filters[name] is not plain.filters.get(name)


def test_register_filters_twice_keeps_working(clock: ManualClock) -> None:
    environment = Environment()
    register_filters(environment, clock)
    register_filters(environment, clock)
    assert render(environment, "{{ 'a' | append: nil }}|{{ 'now' | date: '%s' }}") == f"a|{START}"


def test_without_a_clock_now_is_the_system_time() -> None:
    environment = Environment()
    register_filters(environment)
    before = int(time.time())
    rendered = int(render(environment, "{{ 'now' | date: '%s' }}"))
    assert before <= rendered <= int(time.time())


# -- hash_merge ------------------------------------------------------------------


def test_hash_merge_with_a_hash_later_values_win(env: Environment) -> None:
    merged = value_of(env, "a | hash_merge: b", a={"a": 1, "b": 2}, b={"b": 3, "c": 4})
    assert merged == {"a": 1, "b": 3, "c": 4}


def test_hash_merge_keyword_form_on_nil_builds_a_hash(env: Environment) -> None:
    assert value_of(env, "nil | hash_merge: foo: 'x', bar: 2") == {"foo": "x", "bar": 2}


def test_hash_merge_hashes_then_keywords(env: Environment) -> None:
    merged = value_of(env, "a | hash_merge: b, k: 'kw'", a={"k": 1}, b={"k": 2, "z": 0})
    assert merged == {"k": "kw", "z": 0}


def test_hash_merge_nil_or_undefined_argument_merges_nothing(env: Environment) -> None:
    assert value_of(env, "a | hash_merge: nil", a={"x": 1}) == {"x": 1}
    assert value_of(env, "a | hash_merge: missing", a={"x": 1}) == {"x": 1}


def test_hash_merge_does_not_modify_its_input(env: Environment) -> None:
    original = {"x": 1}
    render(env, "{% assign b = a | hash_merge: y: 2 %}", a=original)
    assert original == {"x": 1}


def test_hash_merge_rejects_a_non_hash_argument(env: Environment) -> None:
    with pytest.raises(
        FilterArgumentError, match=r"hash_merge: argument 1 must be a hash, found array"
    ):
        render(env, "{{ a | hash_merge: b }}", a={}, b=[1])


def test_hash_merge_rejects_a_non_hash_input(env: Environment) -> None:
    with pytest.raises(LiquidTypeError, match=r"hash_merge: expected a hash or nil, found string"):
        render(env, "{{ 'text' | hash_merge: a: 1 }}")


# -- hash_add_key ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["hash_add_key", "add_hash_key", "assign_to_hash_key"])
def test_hash_add_key_and_aliases(env: Environment, name: str) -> None:
    original = {"a": 1}
    result = value_of(env, f"h | {name}: 'list', items", h=original, items=[1, 2])
    assert result == {"a": 1, "list": [1, 2]}
    assert original == {"a": 1}


def test_hash_add_key_on_nil_starts_a_hash(env: Environment) -> None:
    assert value_of(env, "nil | hash_add_key: 'a', 1") == {"a": 1}


def test_hash_add_key_needs_a_key(env: Environment) -> None:
    with pytest.raises(FilterArgumentError, match="hash_add_key: expected a key"):
        render(env, "{{ h | hash_add_key: nil, 1 }}", h={})
    with pytest.raises(FilterArgumentError, match="key must be a string or number, found array"):
        render(env, "{{ h | hash_add_key: k, 1 }}", h={}, k=[1])


# -- dig -------------------------------------------------------------------------

NESTED = {"a": {"b": [10, {"c": "deep"}]}, "n": None}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("obj | dig: 'a', 'b', 1, 'c'", "deep"),
        ("obj | hash_dig: 'a', 'b', 0", 10),
        ("obj | dig: 'a', 'b', '1', 'c'", "deep"),
        ("obj | dig: 'a', 'b', -1, 'c'", "deep"),
        ("obj | dig: path", "deep"),
        ("obj | dig: 'a', 'missing', 'c'", None),
        ("obj | dig: 'n', 'x'", None),
        ("obj | dig: 'a', 'b', 5", None),
        ("obj | dig: 'a', 'b', 'x'", None),
        ("obj | dig: 'a', 'b', 0, 'x'", None),
        ("nothing | dig: 'a'", None),
        ("nil | dig: 'a'", None),
    ],
)
def test_dig(env: Environment, expression: str, expected: object) -> None:
    assert value_of(env, expression, obj=NESTED, path=["a", "b", 1, "c"]) == expected


def test_dig_result_is_nil_in_conditions(env: Environment) -> None:
    template = (
        "{% assign v = obj | dig: 'a', 'zz' %}{% if v == nil %}nil{% else %}{{ v }}{% endif %}"
    )
    assert render(env, template, obj=NESTED) == "nil"


def test_dig_needs_a_key(env: Environment) -> None:
    with pytest.raises(FilterArgumentError, match="dig: expected at least one key"):
        render(env, "{{ obj | dig }}", obj=NESTED)


# -- json / parse_json -----------------------------------------------------------


@pytest.mark.parametrize("name", ["json", "to_json"])
def test_json_is_compact_and_keeps_unicode(env: Environment, name: str) -> None:
    data = {"name": "Zoë", "tags": ["a", None], "ok": True, "n": 1.5}
    assert render(env, f"{{{{ d | {name} }}}}", d=data) == (
        '{"name":"Zoë","tags":["a",null],"ok":true,"n":1.5}'
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("nil | json", "null"),
        ("missing | json", "null"),
        ("'a\"b' | json", '"a\\"b"'),
        ("(1..3) | json", "[1,2,3]"),
        ("when | json", '"2027-01-15T08:00:00+00:00"'),
    ],
)
def test_json_of_scalars_and_liquid_values(
    env: Environment, expression: str, expected: str
) -> None:
    when = dt.datetime(2027, 1, 15, 8, tzinfo=dt.UTC)
    assert render(env, f"{{{{ {expression} }}}}", when=when) == expected


def test_json_refuses_what_json_cannot_hold(env: Environment) -> None:
    with pytest.raises(LiquidTypeError, match="json: cannot convert object to JSON"):
        render(env, "{{ x | json }}", x=object())
    with pytest.raises(LiquidTypeError, match="json: Out of range float values"):
        render(env, "{{ x | json }}", x=float("nan"))


@pytest.mark.parametrize("name", ["parse_json", "to_hash"])
def test_parse_json_builds_objects(env: Environment, name: str) -> None:
    text = '{"user": {"id": 7, "roles": ["a", "b"]}, "ok": false, "none": null}'
    parsed = value_of(env, f"text | {name}", text=text)
    assert parsed == {"user": {"id": 7, "roles": ["a", "b"]}, "ok": False, "none": None}
    assert (
        render(env, f"{{% assign o = text | {name} %}}{{{{ o.user.roles[1] }}}}", text=text) == "b"
    )


def test_parse_json_then_json_round_trips(env: Environment) -> None:
    text = '{"a":[1,2.5,"x"],"b":{"c":null}}'
    assert render(env, "{{ text | parse_json | json }}", text=text) == text


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("nil | parse_json", None),
        ("missing | parse_json", None),
        ("'  ' | parse_json", None),
        ("'42' | parse_json", 42),
        ("'\"s\"' | parse_json", "s"),
        ("obj | parse_json", {"already": "parsed"}),
        ("5 | parse_json", 5),
        ("true | parse_json", True),
    ],
)
def test_parse_json_edge_inputs(env: Environment, expression: str, expected: object) -> None:
    assert value_of(env, expression, obj={"already": "parsed"}) == expected


def test_parse_json_unescapes_html_entities_unless_raw_text(env: Environment) -> None:
    text = '{"key": "abc &quot; def", "list": ["&amp;"]}'
    assert value_of(env, "t | parse_json", t=text) == {"key": 'abc " def', "list": ["&"]}
    assert value_of(env, "t | parse_json: raw_text: true", t=text) == {
        "key": "abc &quot; def",
        "list": ["&amp;"],
    }
    assert value_of(env, "t | parse_json: raw_text: false", t=text)["key"] == 'abc " def'


def test_parse_json_bad_json_names_line_and_column(env: Environment) -> None:
    with pytest.raises(
        FilterArgumentError, match=r"parse_json: invalid JSON at line 2 column 8: Expecting value"
    ):
        render(env, "{{ t | parse_json }}", t='{"a": 1,\n  "b": }')


def test_parse_json_rejects_nan_and_non_text(env: Environment) -> None:
    with pytest.raises(FilterArgumentError, match="NaN is not valid JSON"):
        render(env, "{{ t | parse_json }}", t='{"a": NaN}')
    with pytest.raises(LiquidTypeError, match="parse_json: expected JSON text, found object"):
        render(env, "{{ x | parse_json }}", x=object())


# -- uuid ------------------------------------------------------------------------


def test_uuid_is_a_fresh_v4_each_time_and_ignores_input(env: Environment) -> None:
    first, second = render(env, "{{ '' | uuid }} {{ 42 | uuid: 'ignored' }}").split()
    assert uuid.UUID(first).version == 4
    assert uuid.UUID(second).version == 4
    assert first != second


# -- date ------------------------------------------------------------------------


def test_now_as_epoch_seconds_is_an_integer_from_the_clock(
    env: Environment, clock: ManualClock
) -> None:
    assert value_of(env, "'now' | date: '%s' | plus: 0") == START
    clock.advance(90.7)
    assert value_of(env, "'now' | date: '%s' | plus: 0") == START + 90
    clock.set(1_000)
    assert render(env, "{{ 'today' | date: '%s' }}|{{ 'NOW' | date: '%s' }}") == "1000|1000"


def test_now_formats_in_utc(env: Environment) -> None:
    assert render(env, "{{ 'now' | date: '%Y-%m-%d %H:%M:%S %z' }}") == "2027-01-15 08:00:00 +0000"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-01-15T09:30:00Z", START + 5400),
        ("2027-01-15T09:30:00", START + 5400),  # no offset: UTC
        ("2027-01-15 10:30:00 +0100", START + 5400),  # strftime's %s would ignore +0100
        ("2027-01-15T09:30:00.999+00:00", START + 5400),
        (START + 5400, START + 5400),
        (str(START + 5400), START + 5400),
    ],
)
def test_epoch_seconds_of_times(env: Environment, value: object, expected: int) -> None:
    assert value_of(env, "t | date: '%s' | plus: 0", t=value) == expected


def test_date_keeps_python_liquid_behaviour_elsewhere(env: Environment) -> None:
    assert render(env, "{{ 'March 14, 2016' | date: '%b %d, %y' }}") == "Mar 14, 16"
    assert render(env, "{{ 1152098955 | date: '%m/%d/%Y' }}") == "07/05/2006"
    assert render(env, "{{ 'now' | date: '%%s' }}") == "%s"
    assert render(env, "{{ 'not a date' | date: '%s' }}") == "not a date"
    assert render(env, "{{ 'now' | date: missing }}") == "now"
    assert render(env, "{{ missing | date: '%s' }}") == ""
    with pytest.raises(FilterArgumentError):
        render(env, "{{ 'now' | date }}")


def test_seed_time_based_scheduling_snippet(env: Environment, clock: ManualClock) -> None:
    snippet = (
        "{% assign now = 'now' | date: '%s' | plus: 0 %}"
        "{% assign scheduled_time = scheduled_at | date: '%s' | plus: 0 %}"
        "{% assign delay_seconds = scheduled_time | minus: now %}"
        "{% assign delay_minutes = delay_seconds | divided_by: 60.0 %}"
        "{% if delay_minutes > 0 %}schedule in {{ delay_minutes }}{% else %}skip{% endif %}"
    )
    assert render(env, snippet, scheduled_at="2027-01-15T09:30:00Z") == "schedule in 90.0"
    assert render(env, snippet, scheduled_at="2027-01-15 08:00:30 +0000") == "schedule in 0.5"
    clock.advance(2 * 3600)
    assert render(env, snippet, scheduled_at="2027-01-15T09:30:00Z") == "skip"


# -- add_to_time -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("units", "amount", "expected"),
    [
        (("s", "sec", "secs", "second", "seconds"), 30, "2027-01-15T08:00:30.000Z"),
        (("m", "min", "mins", "minute", "minutes", "MIN"), 5, "2027-01-15T08:05:00.000Z"),
        (("h", "hr", "hrs", "hour", "hours"), 2, "2027-01-15T10:00:00.000Z"),
        (("d", "day", "days"), 1, "2027-01-16T08:00:00.000Z"),
        (("w", "week", "weeks"), 1, "2027-01-22T08:00:00.000Z"),
        (("mo", "month", "months"), 1, "2027-02-15T08:00:00.000Z"),
        (("y", "yr", "yrs", "year", "years"), 1, "2028-01-15T08:00:00.000Z"),
    ],
)
def test_add_to_time_units(
    env: Environment, units: tuple[str, ...], amount: int, expected: str
) -> None:
    for unit in units:
        assert render(env, f"{{{{ 'now' | add_to_time: {amount}, '{unit}' }}}}") == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'now' | add_to_time: 1", "2027-01-16T08:00:00.000Z"),  # default unit: days
        ("'now' | add_to_time: -90, 'm'", "2027-01-15T06:30:00.000Z"),
        ("'now' | add_to_time: 1.5, 'min'", "2027-01-15T08:01:30.000Z"),
        ("'now' | add_to_time: '2', 'h'", "2027-01-15T10:00:00.000Z"),
        ("'2024-01-31' | add_to_time: 1, 'mo'", "2024-02-29T00:00:00.000Z"),
        ("'2023-01-31T12:00:00Z' | add_to_time: 1, 'months'", "2023-02-28T12:00:00.000Z"),
        ("'2024-02-29' | add_to_time: 1, 'y'", "2025-02-28T00:00:00.000Z"),
        ("'2024-03-31' | add_to_time: -1, 'mo'", "2024-02-29T00:00:00.000Z"),
        ("'2027-01-15 10:00:00 +0200' | add_to_time: 0, 's'", START_ISO),
        ("1800000000 | add_to_time: 10, 's'", "2027-01-15T08:00:10.000Z"),
        ("'1800000000' | add_to_time: 10, 's'", "2027-01-15T08:00:10.000Z"),
        ("when | add_to_time: 1, 'd'", "2027-01-16T08:00:00.000Z"),
        ("day | add_to_time: 1, 'h'", "2027-01-15T01:00:00.000Z"),
    ],
)
def test_add_to_time_inputs(env: Environment, expression: str, expected: str) -> None:
    when = dt.datetime(2027, 1, 15, 9, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert render(env, f"{{{{ {expression} }}}}", when=when, day=dt.date(2027, 1, 15)) == expected


def test_add_to_time_reads_the_clock_and_feeds_date(env: Environment, clock: ManualClock) -> None:
    clock.advance(0.25)
    assert render(env, "{{ 'now' | add_to_time: 0, 's' }}") == "2027-01-15T08:00:00.250Z"
    later = value_of(env, "'now' | add_to_time: 15, 'minutes' | date: '%s' | plus: 0")
    assert later == START + 15 * 60


def test_add_to_time_of_nil_is_nil(env: Environment) -> None:
    assert value_of(env, "nil | add_to_time: 1, 'd'") is None
    assert value_of(env, "missing | add_to_time: 1, 'd'") is None


@pytest.mark.parametrize(
    ("expression", "error", "message"),
    [
        ("'now' | add_to_time", FilterArgumentError, "add_to_time: expected a number"),
        ("'now' | add_to_time: nil, 'd'", FilterArgumentError, "expected a number"),
        ("'now' | add_to_time: 'x', 'd'", FilterArgumentError, "could not cast string 'x'"),
        ("'now' | add_to_time: 1, 'fortnight'", FilterArgumentError, "unknown unit 'fortnight'"),
        ("'now' | add_to_time: 1.5, 'mo'", FilterArgumentError, "months must be a whole number"),
        (
            "'now' | add_to_time: 1000000000000, 'd'",
            FilterArgumentError,
            "outside the years 1 to 9999",
        ),
        ("'now' | add_to_time: 99999, 'y'", FilterArgumentError, "outside the years 1 to 9999"),
        ("'soon-ish' | add_to_time: 1, 'd'", LiquidTypeError, "cannot read string 'soon-ish'"),
        ("true | add_to_time: 1, 'd'", LiquidTypeError, "cannot read boolean True as a time"),
    ],
)
def test_add_to_time_errors(
    env: Environment, expression: str, error: type[LiquidError], message: str
) -> None:
    with pytest.raises(error, match=message):
        render(env, f"{{{{ {expression} }}}}")


# -- Ruby's nil and boolean text -------------------------------------------------

# (template, plain python-liquid 2.3.6, liqueue = Ruby Liquid)
RUBY_TEXT_DIFFERENCES = [
    ("{{ 'a' | append: nil }}", "aNone", "a"),
    ("{{ 'a' | prepend: nil }}", "Nonea", "a"),
    ("{{ 'a' | append: false }}", "aFalse", "afalse"),
    ("{{ false | append: '!' }}", "False!", "false!"),
    ("{{ true | prepend: 'is ' }}", "is True", "is true"),
    ("{{ items | join: ',' }}", "a,None,b,True", "a,,b,true"),
    ("{{ items | join }}", "a None b True", "a  b true"),
    ("{{ items | join: nil }}", "aNoneNoneNonebNoneTrue", "abtrue"),
    ("{{ nested | join: '-' }}", "x-None-y", "x--y"),
    ("{{ nil | join: ',' }}", "None", ""),
    ("{{ 'abNonec' | remove: nil }}", "abc", "abNonec"),
    ("{{ 'abc' | replace: 'b', nil }}", "aNonec", "ac"),
    ("{{ 'abc' | replace_first: 'b', nil }}", "aNonec", "ac"),
    ("{{ 'abc' | replace_last: 'b', nil }}", "aNonec", "ac"),
    ("{{ 'xfalsey' | split: false | join: '#' }}", "xfalsey", "x#y"),
    ("{{ 'abcdefgh' | truncate: 5, nil }}", "aNone", "abcde"),
    ("{{ 'a b c d' | truncatewords: 2, nil }}", "a bNone", "a b"),
]


@pytest.mark.parametrize(("template", "plain", "ruby"), RUBY_TEXT_DIFFERENCES)
def test_string_filters_convert_nil_and_booleans_like_ruby(
    env: Environment, template: str, plain: str, ruby: str
) -> None:
    data = {"items": ["a", None, "b", True], "nested": ["x", [None, "y"]]}
    assert render(Environment(), template, **data) == plain
    assert render(env, template, **data) == ruby


@pytest.mark.parametrize(
    "template",
    [
        "{{ nil | append: 'x' }}",
        "{{ 'a' | append: missing }}",
        "{{ 'hello' | append: 5 }}",
        "{{ 5 | prepend: 'x' }}",
        "{{ arr | join: '#' }}",
        "{{ (1..3) | join: '#' }}",
        "{{ 'Hello there' | split: nil | join: '#' }}",
        "{{ 'Take my protein' | replace: missing, '#' }}",
        "{{ 'abcdefgh' | truncate: 5 }}",
    ],
)
def test_other_string_filter_cases_stay_python_liquids(env: Environment, template: str) -> None:
    data = {"arr": ["a", 1, [], {}]}
    assert render(env, template, **data) == render(Environment(), template, **data)


def test_string_filter_arity_errors_are_unchanged(env: Environment) -> None:
    with pytest.raises(FilterArgumentError):
        render(env, "{{ 'hello' | append: 'how', 'are' }}")
    with pytest.raises(FilterArgumentError):
        render(env, "{{ arr | join: '#', 42 }}", arr=["a"])


# -- default: python-liquid's built-in already behaves like Ruby ------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "D"), (False, "D"), ("", "D"), ([], "D"), ({}, "D"), (0, "0"), (" ", " "), ("x", "x")],
)
def test_default_matches_ruby(env: Environment, value: object, expected: str) -> None:
    assert render(env, "{{ v | default: 'D' }}", v=value) == expected
    assert render(env, "{{ missing | default: 'D' }}") == "D"
    assert render(env, "{{ false | default: 'D', allow_false: true }}") == "false"


def test_json_output_is_valid_json_for_job_arguments(env: Environment) -> None:
    args = render(
        env,
        "{% assign a = nil | hash_merge: id: 7, at: at %}{{ a | json }}",
        at=render(env, "{{ 'now' | add_to_time: 1, 'h' }}"),
    )
    assert json.loads(args) == {"id": 7, "at": "2027-01-15T09:00:00.000Z"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", json.loads(args)["at"])
