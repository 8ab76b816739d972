"""Platform filters for liqueue's Liquid environment.

`register_filters(env)` installs, on top of python-liquid's built-ins:

* platformOS filters used by job code: `hash_merge`, `hash_add_key` (aliases
  `add_hash_key`, `assign_to_hash_key`), `dig` (alias `hash_dig`), `json`
  (alias `to_json`), `parse_json` (alias `to_hash`), `add_to_time`, `uuid`;
* a `date` that reads 'now' from liqueue's clock and computes `%s` in UTC;
* Ruby's nil/boolean-to-text rules for the built-in string filters and `join`.

`default` is python-liquid's own: it already matches Ruby (nil, false and
empty values take the default; 0 does not; `allow_false: true` is supported).
"""

from __future__ import annotations

from liquid import Environment

from liqueue.clock import SYSTEM_CLOCK, Clock

from . import ruby_strings
from .hashes import dig, hash_add_key, hash_merge
from .ids import uuid
from .serialization import json, parse_json
from .times import make_add_to_time_filter, make_date_filter

__all__ = ["PLATFORM_FILTERS", "register_filters"]

# Every filter name register_filters installs or replaces.
PLATFORM_FILTERS: frozenset[str] = frozenset(
    {
        "hash_merge",
        "hash_add_key",
        "add_hash_key",
        "assign_to_hash_key",
        "dig",
        "hash_dig",
        "json",
        "to_json",
        "parse_json",
        "to_hash",
        "add_to_time",
        "uuid",
        "date",
        *ruby_strings.RUBY_STRING_FILTERS,
    }
)


def register_filters(env: Environment, clock: Clock | None = None) -> None:
    """Install every platform filter on `env`, reading time from `clock` (default: system clock).

    Safe to call more than once: each call replaces the same filter names.
    """
    clock = clock or SYSTEM_CLOCK
    ruby_strings.register(env)
    env.add_filter("hash_merge", hash_merge)
    for name in ("hash_add_key", "add_hash_key", "assign_to_hash_key"):
        env.add_filter(name, hash_add_key)
    for name in ("dig", "hash_dig"):
        env.add_filter(name, dig)
    for name in ("json", "to_json"):
        env.add_filter(name, json)
    for name in ("parse_json", "to_hash"):
        env.add_filter(name, parse_json)
    env.add_filter("uuid", uuid)
    env.add_filter("date", make_date_filter(clock))
    env.add_filter("add_to_time", make_add_to_time_filter(clock))
