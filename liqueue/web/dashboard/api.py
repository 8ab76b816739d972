"""The JSON API under /_liqueue/api/: what the pages show and do (docs/api.md)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from liqueue.store.pauses import PauseTarget
from liqueue.web.dashboard import views
from liqueue.web.dashboard.access import Access, Identity, Role
from liqueue.web.dashboard.guard import JSONOut, body_params, guarded

if TYPE_CHECKING:
    from liqueue.app import App

TAIL_POLL_SECONDS = 0.5


def api_routes(app: App, access: Access) -> list[BaseRoute]:
    def read(fn: Any) -> Any:
        async def endpoint(request: Request, _: Identity) -> Response:
            params = dict(request.query_params)
            return JSONOut(await run_in_threadpool(fn, app, params, request.path_params))

        return guarded(access, Role.READ, endpoint)

    async def jobs_action(request: Request, who: Identity) -> Response:
        body = await body_params(request)
        action = str(body.get("action", ""))
        if body.get("all"):
            filters = {k: str(v) for k, v in (body.get("filter") or {}).items() if v is not None}
            result = await run_in_threadpool(views.act_on_matching, app, action, filters, who.who)
        else:
            ids = [str(i) for i in body.get("ids") or []]
            result = await run_in_threadpool(views.act, app, action, ids, who.who)
        return JSONOut(result.to_json())

    async def republish(request: Request, who: Identity) -> Response:
        event_id = request.path_params["event_id"]
        return JSONOut(await run_in_threadpool(views.republish, app, event_id, who.who))

    async def pause(request: Request, who: Identity) -> Response:
        body = await body_params(request)
        return JSONOut(await run_in_threadpool(change_pause, app, body, who.who))

    async def tail(request: Request, _: Identity) -> Response:
        params = dict(request.query_params)
        query = await run_in_threadpool(
            views.log_query, app, {**params, "after_id": params.get("after_id") or "0"}
        )
        return StreamingResponse(_tail(app, request, query), media_type="text/event-stream")

    return [
        Route("/api/overview", read(lambda a, _p, _: views.overview(a))),
        Route("/api/jobs", read(lambda a, p, _: views.jobs_page(a, p))),
        Route(
            "/api/jobs/count",
            read(lambda a, p, _: {"count": a.store.count_jobs(views.job_filter(p))}),
        ),
        Route("/api/jobs/actions", guarded(access, Role.ADMIN, jobs_action), methods=["POST"]),
        Route("/api/jobs/{job_id}", read(lambda a, _p, path: views.job_detail(a, path["job_id"]))),
        Route("/api/logs", read(lambda a, p, _: views.logs(a, p))),
        Route("/api/logs/stream", guarded(access, Role.READ, tail)),
        Route("/api/stats", read(lambda a, p, _: views.stats(a, p))),
        Route("/api/events", read(lambda a, p, _: views.events(a, p))),
        Route(
            "/api/events/{event_id}",
            read(lambda a, _p, path: views.event_detail(a, path["event_id"])),
        ),
        Route(
            "/api/events/{event_id}/republish",
            guarded(access, Role.ADMIN, republish),
            methods=["POST"],
        ),
        Route("/api/workers", read(lambda a, _p, _: views.workers(a))),
        Route("/api/pauses", read(lambda a, _p, _: views.pauses(a))),
        Route("/api/pauses", guarded(access, Role.ADMIN, pause), methods=["POST"]),
    ]


def change_pause(app: App, body: dict[str, Any], who: str) -> dict[str, Any]:
    try:
        target = PauseTarget.parse(str(body.get("kind", "")), str(body.get("name", "")))
    except ValueError as err:
        raise views.BadRequest(str(err)) from None
    resume = body.get("action") == "resume"
    changed = app.store.resume(target) if resume else app.store.pause(target, app.clock.now(), who)
    verb = "resume" if resume else "pause"
    views.audit(
        app, who, f"{verb} {target.kind} {target.name}" + ("" if changed else " (no change)")
    )
    return {
        "action": verb,
        "target": {"kind": target.kind, "name": target.name},
        "changed": changed,
        **views.pauses(app),
    }


async def _tail(app: App, request: Request, query: Any) -> AsyncIterator[str]:
    """New log lines as server-sent events until the browser goes away."""
    yield "retry: 2000\n\n"
    while not await request.is_disconnected():
        entries = await run_in_threadpool(app.store.read_logs, query)
        for entry in app.secrets.mask_value(entries):
            query.after_id = max(query.after_id or 0, entry.id or 0)
            yield f"id: {entry.id}\ndata: {json.dumps(entry.to_json(), ensure_ascii=False)}\n\n"
        await asyncio.sleep(TAIL_POLL_SECONDS)
