"""iter_logs: the whole log in time order, keyset paged, on every backend."""

from __future__ import annotations

import itertools

import pytest

from liqueue.logs import LogEntry
from liqueue.store import LogQuery, Store

from .factories import T0, attempt_log


def _add(store: Store, *ats: float) -> None:
    store.add_logs([LogEntry(at=at, type="info", message=f"at {at - T0:g}") for at in ats])


def _messages(entries: object) -> list[str]:
    return [entry.message for entry in entries]  # type: ignore[attr-defined]


def test_every_entry_in_time_order_then_id_across_pages(store: Store) -> None:
    # A long job's lines are written at its end, after entries that are newer.
    _add(store, T0 + 5, T0 + 1, T0 + 3, T0 + 3, T0 + 2, T0 + 4, T0 + 0)
    entries = list(store.iter_logs(LogQuery(), page_size=2))
    assert _messages(entries) == ["at 0", "at 1", "at 2", "at 3", "at 3", "at 4", "at 5"]
    same_time = [e.id or 0 for e in entries if e.at == T0 + 3]
    assert same_time == sorted(same_time) and len(same_time) == 2


def test_many_pages_see_every_entry_once(store: Store) -> None:
    store.add_logs([LogEntry(at=T0 + i % 7, type="info", message=str(i)) for i in range(250)])
    seen = [e.id for e in store.iter_logs(LogQuery(), page_size=7)]
    assert len(seen) == 250 and len(set(seen)) == 250


def test_is_lazy_one_page_at_a_time(store: Store) -> None:
    _add(store, *(T0 + i for i in range(10)))
    pages = store.iter_logs(LogQuery(), page_size=3)
    first = list(itertools.islice(pages, 3))
    _add(store, T0 + 100)  # written after the first page was read: the walk still finds it
    assert _messages(first) + _messages(pages) == [f"at {i}" for i in [*range(10), 100]]


def test_last_keeps_the_newest_n_in_time_order(store: Store) -> None:
    _add(store, T0 + 4, T0 + 1, T0 + 3, T0 + 2, T0 + 0)
    assert _messages(store.iter_logs(LogQuery(last=3), page_size=2)) == ["at 2", "at 3", "at 4"]
    assert len(list(store.iter_logs(LogQuery(last=50)))) == 5


def test_filters_and_slower_than(store: Store) -> None:
    store.add_logs(
        [
            attempt_log("job-1", "mailer", 1, True, 812, at=T0 + 1),
            attempt_log("job-1", "mailer", 2, False, 40, at=T0 + 2),
            attempt_log("job-2", "report", 1, True, 1500, at=T0 + 3),
            LogEntry(at=T0 + 4, type="info", message="hi", source_name="mailer"),
        ]
    )
    slow = list(store.iter_logs(LogQuery(min_duration_ms=500)))
    assert [e.duration_ms for e in slow] == [812, 1500]
    assert [e.duration_ms for e in store.iter_logs(LogQuery(min_duration_ms=500, last=1))] == [1500]
    mailer = store.iter_logs(LogQuery(source_name="mailer", status="FAILED"), page_size=1)
    assert [e.duration_ms for e in mailer] == [812]
    assert _messages(store.iter_logs(LogQuery(type="info", since=T0 + 4))) == ["hi"]
    assert list(store.iter_logs(LogQuery(since=T0 + 5))) == []


def test_page_size_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError):
        list(store.iter_logs(LogQuery(), page_size=0))
