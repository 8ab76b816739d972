"""Answering one HTTP request with one page: route, read, check, render, queue, respond.

A page that cannot block renders on the event loop, others in Starlette's
thread pool (inline.py); its jobs, events and logs are then committed
(group_commit.py: on the loop, at the end of the first turn in which no
more requests join, when SQLite can write at once; else by the writer
thread), only if it rendered, and the response
waits for that commit. A failure queues nothing and
leaves one `error` entry in the log instead.
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response

from liqueue.errors import TemplateError
from liqueue.liquid.routes import Route, RouteTable, layout_path
from liqueue.liquid.runtime import PageRender
from liqueue.logs import LogEntry
from liqueue.web import csrf
from liqueue.web.dashboard.access import is_loopback
from liqueue.web.error_pages import development_page, plain_page
from liqueue.web.group_commit import GroupCommit
from liqueue.web.inline import SLOW_SECONDS, InlinePages
from liqueue.web.limits import RequestLimits, RequestRejected
from liqueue.web.params import nest, parse_json_body, parse_query
from liqueue.web.request_context import RequestFacts, job_location, page_name, request_context
from liqueue.web.responses import PageMessages
from liqueue.web.router import PageRouter

if TYPE_CHECKING:
    from collections.abc import Mapping, MutableMapping

    from starlette.types import Message, Receive, Scope, Send

    from liqueue.app import App

    Answer = Response | PageMessages
    Session = MutableMapping[str, Any]

log = logging.getLogger("liqueue.web")

HTML = "text/html; charset=utf-8"
# A page or layout file looked at this recently is not looked at again (a
# `stat` per file per request took more of the server's time than python-liquid
# rendering a small page): an edited or deleted file shows within this long.
FILE_RECHECK_SECONDS = 0.5
FORM = "application/x-www-form-urlencoded"
MAX_KNOWN_ROUTES = 10_000
# Paths and query strings that Starlette's URL gives back as they came.
_PLAIN_PATH = re.compile(r"/(?!/)[^?#\\\x00-\x20\x7f]*")
_PLAIN_QUERY = re.compile(r"[^#\x00-\x20\x7f]*")
MULTIPART = "multipart/form-data"


@dataclass(frozen=True)
class Failure:
    error: Exception


@dataclass(frozen=True)
class Gone:
    """The page's file was deleted after the route table last looked."""


@dataclass(frozen=True)
class _Known:
    """What every request to a route works out the same (about a tenth of a small page)."""

    route: Route  # kept alive, so its id is not another's
    page: str  # its job's context.location.page
    layout: str | None  # the layout's path
    headers: dict[str, str]  # a 200 answer's, lower-case names, Content-Length apart
    # The same, as sent; None when some cannot be (the answer's fails as Starlette's would).
    raw_headers: list[tuple[bytes, bytes]] | None

    @staticmethod
    def of(route: Route) -> _Known:
        headers = {
            "content-type": f"{route.content_type}; charset=utf-8",
            "x-content-type-options": "nosniff",
        }
        _put(headers, route.response_headers)
        raw: list[tuple[bytes, bytes]] | None = None
        if "content-length" not in headers:
            with contextlib.suppress(UnicodeEncodeError):
                raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        layout = layout_path(route.layout) if route.layout else None
        return _Known(route, page_name(route), layout, headers, raw)


class PageSite:
    """The pages of one app, answering requests: the ASGI endpoint of the
    pages' route. It reads the ASGI scope and messages itself, with no
    Starlette `Request` (a multipart form excepted) and, for a rendered
    page, no `Response`: building them cost about a tenth of a small page."""

    def __init__(self, app: App, limits: RequestLimits) -> None:
        self.app = app
        self.limits = limits
        self.router = PageRouter(
            app.root, app.runtime.front_matter, app.runtime.loader.forget_checks
        )
        self.queue = GroupCommit(app.enqueue, app.enqueue_now)
        self.inline = InlinePages(app.runtime)
        self._routes: dict[int, _Known] = {}  # by id(route)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            answer = await self.handle(scope, receive)
        except Exception:
            # What Starlette's ServerErrorMiddleware answers, which a page's
            # request no longer passes (application.py's PagesFirst); the
            # server logs the error.
            await PlainTextResponse("Internal Server Error", 500)(scope, receive, send)
            raise
        await answer(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive) -> Answer:
        facts = _facts(scope)
        session: Session = scope["session"]
        method = facts.method
        wanted = "get" if method == "HEAD" else method.lower()
        table = self.router.table()
        found = table.find(wanted, facts.path)
        if found is None:  # perhaps a page added since the table was last checked
            table = self.router.table(recheck=True)
            found = table.find(wanted, facts.path)
        if found is None:
            return await self._missing(table, session, facts)
        route, slug_params = found
        if route.redirect_to is not None:
            return Response(
                status_code=route.redirect_code, headers={"Location": route.redirect_to}
            )
        try:
            params = await self._params(scope, receive, facts)
        except RequestRejected as rejected:
            return _plain(rejected.status, rejected.message)
        params.update(slug_params)
        sent = params.get(csrf.PARAM) or facts.headers.get(csrf.HEADER)
        problem = csrf.token_problem(method, facts.headers.get("content-type", ""), session, sent)
        if problem is not None:
            return _plain(403, problem)
        return await self._render(route, params, session, facts, enqueue=method != "HEAD")

    async def _missing(self, table: RouteTable, session: Session, facts: RequestFacts) -> Answer:
        allowed = table.methods_at(facts.path)
        if allowed:
            allow = ", ".join(m.upper() for m in allowed) + (", HEAD" if "get" in allowed else "")
            return await self._status_page(405, table, session, facts, {"Allow": allow})
        return await self._status_page(404, table, session, facts, {})

    # -- rendering -------------------------------------------------------------

    async def _render(
        self,
        route: Route,
        params: dict[str, Any],
        session: Session,
        facts: RequestFacts,
        *,
        enqueue: bool,
        status: int | None = None,
        extra: dict[str, str] | None = None,
    ) -> Answer:
        outcome: PageRender | Failure | Gone
        loader = self.app.runtime.loader
        # `with loader.reusing_checks(...)` without its generator's cost.
        previous = loader.reuse_checks(FILE_RECHECK_SECONDS)
        try:
            on_loop, reads = self.inline.traits(route)
            # Unread, a token would cost a signed session cookie on every response.
            token = csrf.session_token(session) if "authenticity_token" in reads else ""
            args = (route, params, request_context(facts, route, session, token, reads), facts)
            if on_loop:
                # CPU time, so waits for the GIL do not count; but reading the
                # thread's clock is a system call, and a render that took no
                # longer than SLOW_SECONDS of wall time took no more CPU time.
                began, cpu_began = time.perf_counter(), time.thread_time()
                outcome = self._render_page(*args)
                took = time.perf_counter() - began
                if took > SLOW_SECONDS:
                    took = time.thread_time() - cpu_began
                self.inline.rendered(route, took)
        finally:
            loader.reuse_checks(previous)
        if not on_loop:
            outcome = await run_in_threadpool(self._render_in_pool, *args)
        if isinstance(outcome, PageRender) and enqueue:
            try:
                await self.queue.write(outcome.outbox)  # durable before the answer
            except Exception as err:
                outcome = Failure(err)
        if isinstance(outcome, Failure):
            outcome = await run_in_threadpool(self._failed, outcome.error, route, facts)
        if isinstance(outcome, Gone):
            return await self._missing(self.router.table(recheck=True), session, facts)
        if isinstance(outcome, Failure):
            return self._error_response(outcome.error, facts)
        return _page_response(outcome, self._known(route), facts.method, status, extra or {})

    def _render_in_pool(
        self,
        route: Route,
        params: dict[str, Any],
        request_ctx: dict[str, Any],
        facts: RequestFacts,
    ) -> PageRender | Failure:
        with self.app.runtime.loader.reusing_checks(FILE_RECHECK_SECONDS):
            return self._render_page(route, params, request_ctx, facts)

    def _render_page(
        self,
        route: Route,
        params: dict[str, Any],
        request_ctx: dict[str, Any],
        facts: RequestFacts,
    ) -> PageRender | Failure:
        """Within the loader's `reusing_checks`."""
        known = self._known(route)
        try:
            return self.app.runtime.render_page(
                route.path,
                params,
                request=request_ctx,
                job_location=job_location(facts, route, known.page),
                layout=known.layout,
            )
        except Exception as err:  # every failure answers 500 and queues nothing
            return Failure(err)

    def _known(self, route: Route) -> _Known:
        known = self._routes.get(id(route))
        if known is None or known.route is not route:
            if len(self._routes) > MAX_KNOWN_ROUTES:
                self._routes.clear()  # routes of tables replaced since
            known = self._routes[id(route)] = _Known.of(route)
        return known

    def _failed(self, err: Exception, route: Route, facts: RequestFacts) -> Failure | Gone:
        """Blocking (a stat, a log write): in the thread pool."""
        if not (self.app.root / route.path).is_file():
            return Gone()  # deleted since the route table was checked: not an error
        self._log_error(err, facts, route)
        return Failure(err)

    def _log_error(self, err: Exception, facts: RequestFacts, route: Route) -> None:
        location = err.location if isinstance(err, TemplateError) else None
        message = f"{facts.method} {facts.url} ({route.path}) failed: {_describe(err)}"
        log.error("%s", message)
        entry = LogEntry(
            at=self.app.clock.now(),
            type="error",
            message=message,
            location=f"{location.path}:{location.line}" if location else route.path,
        )
        try:
            self.app.store.add_logs([entry])
        except Exception as store_err:  # the database is down: the server log keeps it
            log.error("could not write the error to the job log: %s", store_err)

    def _error_response(self, err: Exception, facts: RequestFacts) -> Response:
        # The source excerpt is for the developer at this machine: `environment`
        # defaults to development, and a server listening on 0.0.0.0 must not
        # show templates to the world because liqueue.yml left it unset.
        if self.app.config.environment == "development" and is_loopback(facts.client):
            where = err.location if isinstance(err, TemplateError) else None
            message = err.message if isinstance(err, TemplateError) else _describe(err)
            body = development_page(self.app.root, message, where, f"{facts.method} {facts.url}")
        else:
            body = plain_page(500)
        return Response(body, 500, headers=_error_headers())

    async def _status_page(
        self,
        status: int,
        table: RouteTable,
        session: Session,
        facts: RequestFacts,
        extra: dict[str, str],
    ) -> Answer:
        """The app's own `404`/`405` page if it has one, a plain one otherwise."""
        own = next((r for r in table.routes if r.path == f"app/views/pages/{status}.liquid"), None)
        if own is None:
            response = _plain(status)
            response.headers.update(extra)
            return response
        query = parse_query(facts.query, self.limits) if facts.query else {}
        return await self._render(
            own, query, session, facts, enqueue=facts.method == "GET", status=status, extra=extra
        )

    # -- reading the request -----------------------------------------------------

    async def _params(self, scope: Scope, receive: Receive, facts: RequestFacts) -> dict[str, Any]:
        params = parse_query(facts.query, self.limits) if facts.query else {}
        if facts.method in ("GET", "HEAD") and not facts.headers.get("content-length"):
            return params
        body = await self._body(receive, facts)
        if not body:
            return params
        content_type = facts.headers.get("content-type", "")
        media = content_type.split(";", 1)[0].strip().lower()
        if media == FORM:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise RequestRejected(400, "the form body is not UTF-8 text") from None
            params.update(parse_query(text, self.limits))
        elif csrf.is_json(content_type):
            params.update(parse_json_body(body, self.limits))
        elif media == MULTIPART:
            params.update(await self._multipart(scope, body))
        return params

    async def _body(self, receive: Receive, facts: RequestFacts) -> bytes:
        """The body as Starlette's `Request.stream()` reads it."""
        limit = self.limits.body_bytes
        declared = facts.headers.get("content-length", "")
        too_large = f"the request body is larger than {limit} bytes"
        if declared.isdigit() and int(declared) > limit:
            raise RequestRejected(413, too_large)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise RequestRejected(413, too_large)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks)
            elif message["type"] == "http.disconnect":
                raise ClientDisconnect()

    async def _multipart(self, scope: Scope, body: bytes) -> dict[str, Any]:
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        again = Request(scope, replay)
        try:
            form = await again.form(max_fields=self.limits.params, max_files=self.limits.params)
        except Exception as err:  # python-multipart's errors name the problem
            raise RequestRejected(400, f"the multipart form cannot be read: {err}") from None
        pairs: list[tuple[str, Any]] = []
        for name, value in form.multi_items():
            if isinstance(value, str):
                pairs.append((name, value))
            else:
                pairs.append(
                    (
                        name,
                        {
                            "filename": value.filename,
                            "content_type": value.content_type,
                            "size": value.size,
                        },
                    )
                )
        await form.close()
        return nest(pairs, self.limits)


def _facts(scope: Scope) -> RequestFacts:
    """What Starlette's `request.url` and `request.headers` say, read from the ASGI scope:
    building Starlette's URL (and splitting it again for its parts) took a
    tenth of a small page's time. A path or query string that URL would
    change (escaping `?`, `#` and `\\` in the path, urlsplit dropping control
    characters and cutting at `#`), or a request without a Host header, is
    read through Starlette's `URL` itself."""
    # What dict(request.headers) gives (the first value of a repeated name, in
    # order), without its lookup of every name in the whole list.
    headers: dict[str, str] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    scheme = scope.get("scheme", "http")
    path: str = scope["path"]
    query: str = scope.get("query_string", b"").decode()
    host = headers.get("host")
    if (
        host is None
        or scheme not in ("http", "https")
        or _PLAIN_PATH.fullmatch(path) is None
        or _PLAIN_QUERY.fullmatch(query) is None
    ):
        url = URL(scope=scope)
        scheme, path, query = url.scheme, url.path, url.query
        host = headers.get("host", url.netloc)
    client = scope.get("client")
    return RequestFacts(
        method=scope["method"].upper(),
        scheme=scheme,
        host=host,
        path=path.rstrip("/") or "/",
        query=query,
        headers=headers,
        client=client[0] if client else None,
    )


def _page_response(
    page: PageRender, known: _Known, method: str, status: int | None, extra: dict[str, str]
) -> PageMessages:
    wanted = page.response
    body = b"" if method == "HEAD" else page.output.encode("utf-8")
    code = wanted.status or status or 200
    plain = not wanted.headers and not extra and wanted.redirect_to is None
    if code == 200 and plain and known.raw_headers is not None:
        return PageMessages.sent_as(body, 200, known.raw_headers)
    headers = dict(known.headers)
    _put(headers, wanted.headers)
    _put(headers, extra)
    if wanted.redirect_to is not None:
        code = (
            wanted.status
            if wanted.status and 300 <= wanted.status < 400
            else wanted.redirect_status
        )
        _put(headers, {"Location": wanted.redirect_to})
        body = b""
    if code >= 400:
        _put(headers, {"Cache-Control": "no-store"})
    return PageMessages(body, code, headers)


def _put(headers: dict[str, str], given: Mapping[str, str]) -> None:
    """Lower-case names, as sent: a later value of a name (a page's Content-Type) wins."""
    for name, value in given.items():
        lower = name.lower()
        headers.pop(lower, None)
        headers[lower] = value


def _plain(status: int, detail: str | None = None) -> Response:
    return Response(plain_page(status, detail), status, headers=_error_headers())


def _error_headers() -> dict[str, str]:
    return {"Content-Type": HTML, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _describe(err: Exception) -> str:
    return str(err) if isinstance(err, TemplateError) else f"{type(err).__name__}: {err}"
