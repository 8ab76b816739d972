"""What the dashboard pages and the JSON API show and do, as JSON-able data.

Both read and act through these functions only, so a page and its API call
always agree; every one is a store operation the CLI uses too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from liqueue.config import parse_duration
from liqueue.errors import NotFound
from liqueue.jobs import Job, JobState, Priority
from liqueue.logs import ATTEMPT_TYPE, LogEntry, format_time
from liqueue.policy_status import waiting_reason
from liqueue.store import LogQuery
from liqueue.store.browse import PAGE_LIMIT_MAX, JobCursor, JobFilter, each_page, parse_filter
from liqueue.store.event_jobs import consumer_jobs
from liqueue.store.stats import stats_report
from liqueue.worker.registry import GONE_AFTER_SECONDS

if TYPE_CHECKING:
    from liqueue.app import App

Action = Literal["retry", "cancel", "delete", "run_now"]
ACTIONS: tuple[Action, ...] = ("retry", "cancel", "delete", "run_now")
AUDIT_TYPE = "audit"
DEFAULT_PAGE = 50
STATS_COLUMNS = ("source_name", *(s.value for s in JobState), "success_rate", "p50_ms",
                 "p95_ms", "max_ms", "retries")  # fmt: skip


class BadRequest(ValueError):
    """A parameter that names nothing: answered 400 with its message."""


def jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: jsonable(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def _int(params: Mapping[str, str], name: str, default: int, top: int) -> int:
    raw = params.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw!r}") from None
    if not 1 <= value <= top:
        raise BadRequest(f"{name} must be between 1 and {top}")
    return value


def job_filter(params: Mapping[str, str]) -> JobFilter:
    try:
        return parse_filter(params)
    except ValueError as err:
        raise BadRequest(str(err)) from None


# -- jobs -------------------------------------------------------------------------


def jobs_page(app: App, params: Mapping[str, str]) -> dict[str, Any]:
    wanted = job_filter(params)
    limit = _int(params, "limit", DEFAULT_PAGE, PAGE_LIMIT_MAX)
    after = None
    if params.get("after"):
        try:
            after = JobCursor.parse(params["after"])
        except ValueError as err:
            raise BadRequest(str(err)) from None
    found = app.secrets.mask_value(app.store.find_jobs(wanted, limit, after))
    cursor = JobCursor.after(found[-1]).token() if len(found) == limit else None
    return {"jobs": [jsonable(job) for job in found], "next": cursor, "filter": wanted.to_json()}


def job_detail(app: App, job_id: str) -> dict[str, Any]:
    job = app.secrets.mask_value(app.store.get_job(job_id))
    entries = app.secrets.mask_value(app.store.read_logs(LogQuery(job_id=job.id)))
    attempts = [e for e in entries if e.type == ATTEMPT_TYPE]
    event = None
    if job.event_id:
        try:
            event = jsonable(app.store.get_event(job.event_id))
        except NotFound:
            event = None
    family = app.store.job_family(job.id)
    return {
        "job": jsonable(job),
        "parent_job_id": family.parent_job_id,
        "queued_jobs": [{"id": q.id, "state": q.detail} for q in family.jobs],
        "queued_events": [{"id": q.id, "type": q.detail} for q in family.events],
        "body_lines": numbered(job.body, job.origin.line or 1) if job.body else [],
        "error_line": error_line(job),
        "attempts": [attempt_json(e) for e in attempts],
        "logs": [e.to_json() for e in entries if e.type != ATTEMPT_TYPE],
        "event": event,
        # Said only while it waits: paused, over a limit, holding a unique key.
        "waiting": waiting_reason(app.policies, app.store, job, app.clock.now()),
    }


def numbered(body: str, first: int) -> list[dict[str, Any]]:
    """The body's lines numbered as in its file (as `jobs show` numbers them)."""
    lines = body.splitlines()
    if lines and not lines[0].strip():
        lines, first = lines[1:], first + 1
    while lines and not lines[-1].strip():
        lines.pop()
    return [{"line": n, "text": text} for n, text in enumerate(lines, first)]


def error_line(job: Job) -> int | None:
    """The body line the last error points at, when it points into the job's file."""
    if not job.error_location:
        return None
    path, _, rest = job.error_location.partition(":")
    line = rest.split(":", 1)[0]
    return int(line) if path == job.origin.path and line.isdigit() else None


def attempt_json(entry: LogEntry) -> dict[str, Any]:
    error = None
    if entry.status == "FAILED":
        error = entry.message.split(f"{entry.duration_ms}ms - ", 1)[-1]
    return {
        "attempt": entry.attempt,
        "max_attempts": entry.max_attempts,
        "status": entry.status,
        "duration_ms": entry.duration_ms,
        "at": entry.at,
        "time": format_time(entry.at),
        "error": error,
        "location": entry.location,
    }


@dataclass(frozen=True)
class ActionResult:
    action: str
    asked: int
    changed: int

    def to_json(self) -> dict[str, object]:
        return {"action": self.action, "asked": self.asked, "changed": self.changed}


def act(app: App, action: str, ids: list[str], who: str) -> ActionResult:
    if action not in ACTIONS:
        raise BadRequest(f"unknown action {action!r}: use {', '.join(ACTIONS)}")
    if not ids:
        raise BadRequest("no jobs chosen")
    full = [app.store.get_job(job_id).id for job_id in ids]  # NotFound: nothing changes
    result = ActionResult(action, len(full), _apply(app, action, full))
    audit(app, who, f"{action} {result.changed} of {result.asked} chosen job(s)")
    return result


def act_on_matching(app: App, action: str, params: Mapping[str, str], who: str) -> ActionResult:
    if action not in ACTIONS:
        raise BadRequest(f"unknown action {action!r}: use {', '.join(ACTIONS)}")
    wanted = job_filter(params)
    asked = changed = 0
    for page in each_page(app.store.find_jobs, wanted):
        asked += len(page)
        changed += _apply(app, action, [job.id for job in page])
    shown = {k: v for k, v in wanted.to_json().items() if v is not None}
    audit(app, who, f"{action} {changed} of {asked} job(s) matching {shown or 'everything'}")
    return ActionResult(action, asked, changed)


def _apply(app: App, action: str, ids: list[str]) -> int:
    now = app.clock.now()
    if action == "retry":
        return app.store.retry_jobs(ids, now)
    if action == "cancel":
        return app.store.cancel_jobs(ids, now)
    if action == "delete":
        return app.store.delete_jobs(ids)
    return app.store.run_jobs_now(ids, now)


def audit(app: App, who: str, what: str) -> None:
    app.store.add_logs([LogEntry(at=app.clock.now(), type=AUDIT_TYPE, message=f"{who}: {what}")])


# -- logs, stats, events ----------------------------------------------------------


def log_query(app: App, params: Mapping[str, str]) -> LogQuery:
    status = params.get("status") or None
    if status is not None and status.upper() not in ("SUCCESS", "FAILED"):
        raise BadRequest(f"unknown status {status!r}: use SUCCESS or FAILED")
    since = None
    if params.get("since"):
        try:
            since = app.clock.now() - parse_duration(params["since"])
        except ValueError as err:
            raise BadRequest(f"since: {err}") from None
    after_id = params.get("after_id")
    if after_id and not after_id.isdigit():
        raise BadRequest(f"after_id must be a log entry id, not {after_id!r}")
    job_id = params.get("job") or None
    return LogQuery(
        source_name=params.get("source_name") or None,
        status="SUCCESS"
        if status and status.upper() == "SUCCESS"
        else "FAILED"
        if status
        else None,
        type=params.get("type") or None,
        job_id=app.store.get_job(job_id).id if job_id else None,
        since=since,
        after_id=int(after_id) if after_id else None,
        last=None if after_id else _int(params, "lines", 100, 10_000),
    )


def logs(app: App, params: Mapping[str, str]) -> dict[str, Any]:
    entries = app.secrets.mask_value(app.store.read_logs(log_query(app, params)))
    return {"logs": [entry.to_json() for entry in entries]}


def stats(app: App, params: Mapping[str, str]) -> dict[str, Any]:
    window = params.get("window") or "all"
    if window == "all":
        report = stats_report(app.store.stats())
    else:
        try:
            seconds = parse_duration(window)
        except ValueError as err:
            raise BadRequest(f"window: {err}") from None
        report = app.store.window_report(app.clock.now() - seconds)
    sort = params.get("sort") or "source_name"
    if sort not in STATS_COLUMNS:
        raise BadRequest(f"cannot sort by {sort!r}: use one of {', '.join(STATS_COLUMNS)}")
    lines = [line.to_json() for line in report]
    lines.sort(key=lambda line: _sort_key(line[sort]), reverse=params.get("order") == "desc")
    return {"window": window, "sort": sort, "stats": lines}


def _sort_key(value: object) -> tuple[int, Any]:
    return (0, value) if value is not None else (1, 0)


def events(app: App, params: Mapping[str, str]) -> dict[str, Any]:
    found = app.store.list_events(params.get("type") or None, _int(params, "limit", 50, 1000))
    return {"events": [jsonable(event) for event in app.secrets.mask_value(found)]}


def event_detail(app: App, event_id: str) -> dict[str, Any]:
    event = app.secrets.mask_value(app.store.get_event(event_id))
    consumers = [
        {
            "id": found.id,
            "state": found.job.state.value if found.job else "pruned",
            "source_name": found.job.source_name if found.job else None,
            "error_message": found.job.error_message if found.job else None,
        }
        for found in consumer_jobs(app.store, event.job_ids)
    ]
    return {"event": jsonable(event), "consumers": consumers}


def republish(app: App, event_id: str, who: str) -> dict[str, Any]:
    original, new = app.republish_event(event_id)
    audit(app, who, f"republish event {original.id} ({original.type}) as {new.id}")
    return {"republished": original.id, "event": jsonable(new)}


# -- overview, workers, pauses ----------------------------------------------------


def workers(app: App) -> dict[str, Any]:
    now = app.clock.now()
    return {
        "workers": [
            {**w.to_json(), "alive": now - w.heartbeat_at <= GONE_AFTER_SECONDS}
            for w in app.store.list_workers()
        ]
    }


def overview(app: App) -> dict[str, Any]:
    now = app.clock.now()
    counts = app.store.job_counts()
    by_state = {state.value: 0 for state in JobState}
    by_priority: dict[str, dict[str, int]] = {p.value: dict(by_state) for p in Priority}
    for c in counts:
        by_state[c.state.value] += c.count
        by_priority[c.priority.value][c.state.value] += c.count
    start = (now // 60) * 60 - 59 * 60
    minutes = {start + 60 * i: {"done": 0, "failed": 0} for i in range(60)}
    for m in app.store.attempts_per_minute(start):
        if m.minute in minutes:
            minutes[m.minute]["done" if m.status == "SUCCESS" else "failed"] += m.count
    return {
        "counts": by_state,
        "counts_by_priority": by_priority,
        "per_minute": [{"minute": at, **n} for at, n in minutes.items()],
        "latency_seconds": app.store.queue_latency(now),
        **workers(app),
        **pauses(app),
    }


def pauses(app: App) -> dict[str, Any]:
    return {"pauses": [p.to_json() for p in app.store.list_pauses()]}
