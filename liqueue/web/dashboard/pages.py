"""The dashboard's server-rendered pages (python-liquid templates in templates/).

Reads and actions go through `views`, as the JSON API's do; forms post back
the session's authenticity token and redirect to a page saying what changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib.resources import files
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from liquid import CachingFileSystemLoader, Environment
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from liqueue.jobs import JobState, Priority
from liqueue.logs import format_time
from liqueue.web import csrf
from liqueue.web.dashboard import views
from liqueue.web.dashboard.access import Access, Identity, Role
from liqueue.web.dashboard.api import change_pause
from liqueue.web.dashboard.chart import minutes_chart
from liqueue.web.dashboard.guard import body_params, guarded

if TYPE_CHECKING:
    from liqueue.app import App

NAV = [
    ("", "Overview"),
    ("jobs", "Jobs"),
    ("logs", "Logs"),
    ("stats", "Stats"),
    ("events", "Events"),
    ("queues", "Queues"),
]
WINDOWS = ["15m", "1h", "24h", "7d", "all"]
_TEMPLATES = str(files("liqueue.web.dashboard") / "templates")
_env = Environment(loader=CachingFileSystemLoader(_TEMPLATES), autoescape=True)


def _when(at: float | None) -> str:
    return "-" if at is None else format_time(at)[:19]


def _wait(seconds: float | None) -> str:
    if seconds is None:
        return "nothing due"
    if seconds < 1:
        return f"{int(seconds * 1000)} ms"
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


class Pages:
    def __init__(self, app: App, base: str) -> None:
        self.app = app
        self.base = base

    def render(
        self, name: str, title: str, request: Request, who: Identity, **data: Any
    ) -> HTMLResponse:
        content = _env.get_template(f"{name}.liquid").render(
            base=self.base,
            token=csrf.session_token(request.session),
            admin=who.role is Role.ADMIN,
            **data,
        )
        page = _env.get_template("layout.liquid").render(
            title=title,
            base=self.base,
            nav=NAV,
            who=who.who,
            role=who.role.value,
            pauses=views.pauses(self.app)["pauses"],
            notice=request.query_params.get("notice"),
            content=Markup(content),
        )
        return HTMLResponse(page)

    # -- pages ---------------------------------------------------------------------

    def overview(self, request: Request, who: Identity) -> Response:
        data = views.overview(self.app)
        per_minute = data["per_minute"]
        workers = [
            {**w, "started": _when(w["started_at"]), "beat": _when(w["heartbeat_at"])}
            for w in data["workers"]
        ]
        return self.render(
            "overview",
            "Overview",
            request,
            who,
            counts=list(data["counts"].items()),
            chart=Markup(minutes_chart(per_minute)),
            done_total=sum(m["done"] for m in per_minute),
            failed_total=sum(m["failed"] for m in per_minute),
            latency=[(p, _wait(w)) for p, w in data["latency_seconds"].items()],
            workers=workers,
        )

    def jobs(self, request: Request, who: Identity) -> Response:
        params = dict(request.query_params)
        data = views.jobs_page(self.app, params)
        wanted = views.job_filter(params)
        rows = [
            {
                "id": j["id"],
                "short": j["id"][:18],
                "state": j["state"],
                "priority": j["priority"],
                "source_name": j["source_name"],
                "attempt": f"{j['attempt']}/{j['max_attempts']}",
                "created": _when(j["created_at"]),
                "run_at": _when(j["run_at"]),
                "error": j["error_message"] or "",
            }
            for j in data["jobs"]
        ]
        shown = {k: v for k, v in params.items() if k != "after" and v}
        next_url = None
        if data["next"]:
            next_url = f"{self.base}/jobs?" + urlencode({**shown, "after": data["next"]})
        f = {k: ("" if v is None else v) for k, v in data["filter"].items()}
        return self.render(
            "jobs",
            "Jobs",
            request,
            who,
            jobs=rows,
            next=next_url,
            f=f,
            states=[s.value for s in JobState],
            priorities=[p.value for p in Priority],
            actions=list(views.ACTIONS),
            matching=self.app.store.count_jobs(wanted),
            hidden=[(k, v) for k, v in shown.items() if k != "notice"],
        )

    def job(self, request: Request, who: Identity) -> Response:
        data = views.job_detail(self.app, request.path_params["job_id"])
        j = data["job"]
        origin = f"{j['origin']['path']}:{j['origin']['line']}"
        error = None
        if j["error_message"]:
            error = f"{j['error_class'] or 'Error'}: {j['error_message']} ({j['error_location']})"
        fields = [
            ("id", j["id"]),
            ("state", j["state"]),
            ("source_name", j["source_name"]),
            ("priority", j["priority"]),
            ("attempt", f"{j['attempt']}/{j['max_attempts']}"),
            ("origin", origin),
            ("partial", j["partial"] or "-"),
            ("created_at", _when(j["created_at"])),
            ("run_at", _when(j["run_at"])),
            ("started_at", _when(j["started_at"])),
            ("finished_at", _when(j["finished_at"])),
            ("worker", j["worker_id"] or "-"),
        ]
        if data["waiting"]:
            fields.append(("waiting", data["waiting"]))
        return self.render(
            "job",
            f"Job {j['id'][:18]}",
            request,
            who,
            id=j["id"],
            fields=fields,
            error=error,
            arguments=json.dumps(j["arguments"], indent=2, ensure_ascii=False, default=str),
            origin=origin,
            body=data["body_lines"],
            error_line=data["error_line"],
            attempts=data["attempts"],
            logs=data["logs"],
            event=data["event"],
            parent_job_id=data["parent_job_id"],
            queued_jobs=data["queued_jobs"],
            queued_events=data["queued_events"],
            actions=list(views.ACTIONS),
        )

    def logs(self, request: Request, who: Identity) -> Response:
        params = dict(request.query_params)
        entries = views.logs(self.app, params)["logs"]
        last = max((e["id"] or 0 for e in entries), default=0)
        stream = {
            k: v for k, v in params.items() if k in ("source_name", "status", "type", "job") and v
        }
        stream_url = f"{self.base}/api/logs/stream?" + urlencode({**stream, "after_id": last})
        q = {
            k: params.get(k, "") for k in ("source_name", "status", "type", "job", "since", "lines")
        }
        return self.render(
            "logs",
            "Logs",
            request,
            who,
            logs=entries,
            q=q,
            stream=stream_url,
            statuses=["SUCCESS", "FAILED"],
        )

    def stats(self, request: Request, who: Identity) -> Response:
        params = dict(request.query_params)
        data = views.stats(self.app, params)
        window, sort = data["window"], data["sort"]
        columns = []
        for column in views.STATS_COLUMNS:
            order = "desc" if column == sort and params.get("order") != "desc" else "asc"
            link = f"{self.base}/stats?" + urlencode(
                {"window": window, "sort": column, "order": order}
            )
            columns.append((column, link))
        rows = [
            ["-" if line[c] is None else line[c] for c in views.STATS_COLUMNS]
            for line in data["stats"]
        ]
        return self.render(
            "stats",
            "Stats",
            request,
            who,
            columns=columns,
            rows=rows,
            windows=WINDOWS,
            window=window,
        )

    def events(self, request: Request, who: Identity) -> Response:
        params = dict(request.query_params)
        found = views.events(self.app, params)["events"]
        rows = [
            {
                "id": e["id"],
                "short": e["id"][:18],
                "type": e["type"],
                "time": _when(e["at"]),
                "valid": "yes" if e["valid"] else "no",
                "jobs": len(e["job_ids"]),
            }
            for e in found
        ]
        return self.render(
            "events", "Events", request, who, events=rows, type=params.get("type", "")
        )

    def event(self, request: Request, who: Identity) -> Response:
        data = views.event_detail(self.app, request.path_params["event_id"])
        e = data["event"]
        fields = [
            ("id", e["id"]),
            ("type", e["type"]),
            ("at", _when(e["at"])),
            ("valid", "yes" if e["valid"] else "no"),
            ("errors", "; ".join(map(str, e["errors"])) or "-"),
            ("origin", e["origin"] or "-"),
        ]
        return self.render(
            "event",
            f"Event {e['type']}",
            request,
            who,
            id=e["id"],
            fields=fields,
            payload=json.dumps(e["payload"], indent=2, ensure_ascii=False, default=str),
            consumers=data["consumers"],
        )

    def queues(self, request: Request, who: Identity) -> Response:
        found = [{**p, "since": _when(p["paused_at"])} for p in views.pauses(self.app)["pauses"]]
        sources = sorted({c.source_name for c in self.app.store.job_counts()})
        return self.render(
            "queues",
            "Queues",
            request,
            who,
            pauses=found,
            sources=sources,
            priorities=[p.value for p in Priority],
        )

    # -- actions ---------------------------------------------------------------

    def jobs_action(self, body: Mapping[str, Any], who: Identity) -> str:
        if body.get("all_action"):
            filters = {
                k[2:]: v for k, v in body.items() if k.startswith("f_") and isinstance(v, str)
            }
            result = views.act_on_matching(self.app, str(body["all_action"]), filters, who.who)
            back = f"{self.base}/jobs?" + urlencode(filters)
        else:
            ids = list(body.get("ids") or [])
            result = views.act(self.app, str(body.get("action", "")), ids, who.who)
            if body.get("back") == "job" and ids:
                back = f"{self.base}/jobs/{ids[0]}?"
            else:
                filters = {
                    k[2:]: v for k, v in body.items() if k.startswith("f_") and isinstance(v, str)
                }
                back = f"{self.base}/jobs?" + urlencode(filters)
        notice = f"{result.action}: {result.changed} of {result.asked} job(s) changed"
        return back + ("&" if not back.endswith("?") else "") + urlencode({"notice": notice})


def page_routes(app: App, access: Access, base: str) -> list[BaseRoute]:
    pages = Pages(app, base)

    def read(method: Any) -> Any:
        async def endpoint(request: Request, who: Identity) -> Response:
            return await run_in_threadpool(method, request, who)

        return guarded(access, Role.READ, endpoint)

    async def jobs_action(request: Request, who: Identity) -> Response:
        body = await body_params(request)
        return RedirectResponse(await run_in_threadpool(pages.jobs_action, body, who), 303)

    async def queues_action(request: Request, who: Identity) -> Response:
        body = await body_params(request)
        result = await run_in_threadpool(change_pause, app, body, who.who)
        target = result["target"]
        notice = f"{result['action']}d {target['kind']} {target['name']}"
        return RedirectResponse(f"{base}/queues?" + urlencode({"notice": notice}), 303)

    async def republish(request: Request, who: Identity) -> Response:
        result = await run_in_threadpool(
            views.republish, app, request.path_params["event_id"], who.who
        )
        notice = f"republished as {result['event']['id']}"
        return RedirectResponse(
            f"{base}/events/{result['event']['id']}?" + urlencode({"notice": notice}), 303
        )

    return [
        Route("/", read(pages.overview)),
        Route("/jobs", read(pages.jobs)),
        Route("/jobs/actions", guarded(access, Role.ADMIN, jobs_action), methods=["POST"]),
        Route("/jobs/{job_id}", read(pages.job)),
        Route("/logs", read(pages.logs)),
        Route("/stats", read(pages.stats)),
        Route("/events", read(pages.events)),
        Route("/events/{event_id}", read(pages.event)),
        Route(
            "/events/{event_id}/republish", guarded(access, Role.ADMIN, republish), methods=["POST"]
        ),
        Route("/queues", read(pages.queues)),
        Route("/queues", guarded(access, Role.ADMIN, queues_action), methods=["POST"]),
    ]
