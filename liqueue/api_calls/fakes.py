"""Fake answers to API calls, for tests: `liqueue.testing.fake_api_calls`.

While a fake is active (in any thread of the process) every API call is
answered by it, after its definition rendered: nothing reaches the network,
and each rendered request is recorded for assertions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from liqueue.api_calls.messages import ApiRequest, ApiResponse

Answer: TypeAlias = (
    Mapping[str, Any] | Sequence[Mapping[str, Any]] | Callable[[ApiRequest], Mapping[str, Any]]
)

_lock = threading.Lock()
_active: list[FakeApiCalls] = []


class UnexpectedApiCall(AssertionError):
    """An API call was made that the active fake has no answer for."""


@dataclass
class FakeApiCalls:
    """Answers by definition name, and the requests sent, in order.

    An answer is `{'status': 200, 'json': {...}}` (or `body`, `headers`), a
    list of them given out in turn (the last one repeats), or a function of
    the request returning one.
    """

    answers: dict[str, Answer]
    sent: list[ApiRequest] = field(default_factory=list)
    _turns: dict[str, int] = field(default_factory=dict)

    def requests(self, name: str | None = None) -> list[ApiRequest]:
        with _lock:
            return [r for r in self.sent if name is None or r.name == name]

    def assert_called(self, name: str, times: int | None = None) -> ApiRequest:
        """The last request of `name`; AssertionError if none (or not `times` of them)."""
        made = self.requests(name)
        if not made:
            called = sorted({r.name for r in self.requests()}) or ["nothing"]
            raise AssertionError(f"api call {name!r} was not made (made: {', '.join(called)})")
        if times is not None and len(made) != times:
            raise AssertionError(f"api call {name!r} was made {len(made)} times, not {times}")
        return made[-1]

    def assert_not_called(self, name: str) -> None:
        made = self.requests(name)
        if made:
            raise AssertionError(f"api call {name!r} was made {len(made)} times")

    def _answer(self, request: ApiRequest) -> ApiResponse:
        with _lock:
            self.sent.append(request)
            if request.name not in self.answers:
                raise UnexpectedApiCall(
                    f"no fake answer for api call {request.name!r} "
                    f"(faked: {', '.join(sorted(self.answers)) or 'none'})"
                )
            answer = self.answers[request.name]
            if isinstance(answer, Sequence) and not isinstance(answer, (str, Mapping)):
                turn = self._turns.get(request.name, 0)
                self._turns[request.name] = turn + 1
                answer = answer[min(turn, len(answer) - 1)]
        if callable(answer):
            answer = answer(request)
        assert isinstance(answer, Mapping), f"a fake answer must be a mapping, got {answer!r}"
        return _response(ApiResponse, answer)


def _response(cls: type[ApiResponse], answer: Mapping[str, Any]) -> ApiResponse:
    import json

    unknown = set(answer) - {"status", "body", "json", "headers"}
    if unknown:
        raise ValueError(f"a fake answer has status, body, json and headers, not {sorted(unknown)}")
    headers = {str(k).lower(): str(v) for k, v in dict(answer.get("headers") or {}).items()}
    body = answer.get("body")
    if "json" in answer:
        body = json.dumps(answer["json"])
        headers.setdefault("content-type", "application/json")
    return cls(int(answer.get("status", 200)), str(body or ""), headers)


def answer(request: ApiRequest) -> ApiResponse | None:
    """The active fake's answer, or None when no fake is active."""
    with _lock:
        fake = _active[-1] if _active else None
    return None if fake is None else fake._answer(request)


@contextmanager
def faking(answers: Mapping[str, Answer]) -> Iterator[FakeApiCalls]:
    fake = FakeApiCalls(dict(answers))
    with _lock:
        _active.append(fake)
    try:
        yield fake
    finally:
        with _lock:
            _active.remove(fake)
