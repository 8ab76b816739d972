"""Pooled connections read json and jsonb through connection.json_loads (from a str,
not bytes: cheaper for every claimed job's arguments), to the same values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from liqueue.store import Store
from liqueue.store.postgres import PostgresStore
from liqueue.store.postgres import connection as pg_connection

from .factories import T0, enqueue, spec

ARGUMENTS: dict[str, Any] = {
    "text": 'née ☃ "quoted" \\ 𝄞',
    "nested": {"list": [1, 2.5, None, True, "x"], "empty": {}},
    "big": 2**70,
    "float": 0.1,
}


def test_claimed_arguments_and_context_are_read_through_json_loads(
    postgres_schema_url: str, open_url: Callable[[str], Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str | bytes] = []
    real = pg_connection.json_loads

    def recording(data: str | bytes) -> Any:
        read.append(data)
        return real(data)

    monkeypatch.setattr(pg_connection, "json_loads", recording)
    store = open_url(postgres_schema_url)  # its pool's connections are configured now
    store.migrate()
    assert isinstance(store, PostgresStore)
    [job_id] = enqueue(store, spec("json", arguments=ARGUMENTS, context={"page": "/ä"}))
    [job] = store.claim("w", 1, T0, 30, ["default"])
    assert (job.id, job.arguments, job.context) == (job_id, ARGUMENTS, {"page": "/ä"})
    assert [real(data) for data in read] == [ARGUMENTS, {"page": "/ä"}]


def test_json_loads_reads_utf8_bytes_and_str() -> None:
    assert pg_connection.json_loads('{"a": "\\u00e9\xe9"}'.encode()) == {"a": "éé"}
    assert pg_connection.json_loads('{"a": [1, 0.1]}') == {"a": [1, 0.1]}
    with pytest.raises(ValueError):
        pg_connection.json_loads(b"{")
