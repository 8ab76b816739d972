"""`Runtime`: render pages, run job bodies, call functions and check an application.

Variables a template sees:

- a page (`render`): each param as a variable, all of them as `params`, and
  `context` = {constants, environment, location: {path, template}, params};
- a job (`run_job`): exactly its arguments, `context` (constants,
  environment, location of the request that queued it) and `job` (id,
  attempt, max_attempts, source_name, priority). A job row stores only
  environment and location: constants are read from the running
  application's settings, so none lands in the database;
- a function partial (`call_function`): the variables given, and `context`.

Every syntax or render error is raised as `liqueue.errors.TemplateError`
(or a subclass) whose location is the file relative to the application root,
line and column; `JobFailed` and `TimeLimitExceeded` pass through unchanged.
`attempt_job` is `run_job` for the worker: a failure comes wrapped in
`JobRenderFailed` together with what the body logged before it failed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liquid.exceptions import LiquidError, TemplateNotFoundError
from liquid.output import NullIO
from liquid.undefined import Undefined

from liqueue.clock import SYSTEM_CLOCK, Clock
from liqueue.errors import Location, NotFound, TemplateError, TimeLimitExceeded
from liqueue.liquid.checks import TemplateChecker
from liqueue.liquid.environment import build_environment, iter_template_files
from liqueue.liquid.loader import EXTENSION, PAGES_DIR, AppLoader, _clean_name, _short_name
from liqueue.liquid.output import AppContext, output_buffer
from liqueue.liquid.outside import attach_outside, build_outside
from liqueue.liquid.positions import time_limit_in_chain, to_template_error
from liqueue.liquid.problems import Problem, ProblemCollector
from liqueue.liquid.response import PageResponse
from liqueue.liquid.secret_guard import guard_outbox, mask_error, mask_logs
from liqueue.liquid.signals import ReturnSignal
from liqueue.liquid.state import RenderState
from liqueue.outbox import Outbox

if TYPE_CHECKING:
    from liquid import BoundTemplate

    from liqueue.config import AppConfig
    from liqueue.functions import HostFunction
    from liqueue.jobs import Job

_BODY_CACHE_SIZE = 512
# A worker trusts a partial found or a file checked this recently: an edited
# partial is picked up within this long, and a job's includes stat nothing.
JOB_FILE_RECHECK_SECONDS = 1.0
PAGE_VARIABLES = frozenset({"context", "params"})


@dataclass
class RenderResult:
    output: str
    outbox: Outbox
    # When the outbox was stored (App.render with enqueue): the time its jobs'
    # run_at counts from, so a caller prints exactly what was stored.
    queued_at: float | None = None


class JobRenderFailed(Exception):
    """A job's body failed; `outbox` holds what it did before (its log entries are kept)."""

    def __init__(self, error: Exception, outbox: Outbox) -> None:
        super().__init__(str(error))
        self.error = error
        self.outbox = outbox


@dataclass
class PageRender:
    """A page rendered for an HTTP request: its output, outbox and response wishes."""

    output: str
    outbox: Outbox
    response: PageResponse


class Runtime:
    def __init__(
        self,
        root: Path,
        config: AppConfig,
        clock: Clock = SYSTEM_CLOCK,
        functions: Mapping[str, HostFunction] | None = None,
    ) -> None:
        self.root = root
        self.config = config
        self.clock = clock
        self.env = build_environment(root, config, clock=clock)
        # API calls, host functions and secrets: the render's reach outside itself.
        self.outside = build_outside(root, config, clock, functions)
        self.secrets = self.outside.secrets
        attach_outside(self.env, self.outside)
        loader = self.env.loader
        assert isinstance(loader, AppLoader)
        self.loader = loader
        self._bodies: OrderedDict[tuple[str, int, int, str], BoundTemplate] = OrderedDict()
        self._bodies_lock = threading.Lock()

    # -- pages -----------------------------------------------------------------

    def render(
        self,
        name: str,
        params: Mapping[str, object] | None = None,
        *,
        request_path: str | None = None,
    ) -> RenderResult:
        """Render a page (`orders/show`), a partial name, or a `.liquid` path from the root."""
        relative = self.resolve(name)
        params_dict = dict(params or {})
        location = {"path": request_path or _page_url(relative), "template": relative}
        job_context = {"environment": self.config.environment, "location": location}
        page_context = {**self._context_variable(job_context), "params": params_dict}
        state = RenderState(self.clock, context=job_context, limits=self.config.limits)
        template = self._load(relative)
        # A param cannot replace `context` or `params` themselves (a query string
        # could otherwise forge context.constants); it stays under params.<name>.
        shown = {k: v for k, v in params_dict.items() if k not in PAGE_VARIABLES}
        variables = {**shown, "params": params_dict}
        output = self._run(template, state, {"context": page_context}, variables, relative)
        return RenderResult(self.secrets.mask(output), state.outbox)

    def render_page(
        self,
        relative: str,
        params: Mapping[str, object],
        *,
        request: Mapping[str, object],
        job_location: Mapping[str, object],
        layout: str | None = None,
    ) -> PageRender:
        """Render a page file for a request, then its layout (a path relative to the root).

        `request` is added to the page's `context` (location, headers, page,
        session, authenticity_token); a queued job's `context.location` is
        `job_location`. The layout sees the page's output as `content_for_layout`
        and shares its outbox, so jobs a layout queues count with the page's.
        """
        params_dict = dict(params)
        job_context = {"environment": self.config.environment, "location": dict(job_location)}
        page_context = {**self._context_variable(job_context), "params": params_dict, **request}
        state = RenderState(self.clock, context=job_context, limits=self.config.limits)
        shown = {k: v for k, v in params_dict.items() if k not in PAGE_VARIABLES}
        variables: dict[str, object] = {**shown, "params": params_dict}
        scope = {"context": page_context}
        output = self._run(self._load(relative), state, scope, variables, relative)
        if layout is not None and state.response.redirect_to is None:
            variables["content_for_layout"] = output
            output = self._run(self._load(layout), state, scope, variables, layout)
        return PageRender(output, state.outbox, state.response)

    def resolve(self, name: str) -> str:
        """The path, relative to the root, of a page, partial or `.liquid` path."""
        clean = _clean_name(name)
        tried: list[str] = []
        if clean is not None:
            if clean.endswith(EXTENSION):
                tried.append(clean)
            else:
                tried.append(f"{PAGES_DIR}/{clean}{EXTENSION}")
                tried.extend(self.loader.partial_candidates(clean))
        for relative in tried:
            if (self.root / relative).is_file():
                return relative
        looked = ", ".join(tried) or "nowhere: not a valid template name"
        raise NotFound(f"template '{name}' not found (looked in {looked})")

    # -- jobs ------------------------------------------------------------------

    def run_job(self, job: Job) -> RenderResult:
        """Render a job's body (or partial) in a fresh context."""
        state = self._job_state(job)
        return RenderResult(self._job_output(job, state), state.outbox)

    def attempt_job(self, job: Job) -> RenderResult:
        """`run_job`, with any failure but a time limit raised as `JobRenderFailed`."""
        state = self._job_state(job)
        loader = self.loader
        # Not `with loader.reusing_checks(...)`: a generator's context manager
        # costs more than a no-op job's render spends on anything else here.
        previous = loader.reuse_checks(JOB_FILE_RECHECK_SECONDS)
        try:
            output = self._job_output(job, state)
        except TimeLimitExceeded:
            raise
        except Exception as err:
            # A failure is what gets a template fixed and the job retried at
            # once: the next attempts look at the files again.
            loader.forget_checks()
            raise JobRenderFailed(err, state.outbox) from err
        finally:
            loader.reuse_checks(previous)
        return RenderResult(output, state.outbox)

    def _job_state(self, job: Job) -> RenderState:
        # Rows written before constants left them still hold a copy: the
        # settings win, and jobs queued from here do not carry it on.
        stored = job.context
        if "constants" in stored:
            stored = {k: v for k, v in stored.items() if k != "constants"}
        return RenderState(self.clock, context=stored, job=job, limits=self.config.limits)

    def _job_output(self, job: Job, state: RenderState) -> str:
        if job.body is not None:
            template = self._body_template(job.body, job.origin)
        elif job.partial is not None:
            template = self._load_partial(job.partial, job.origin)
        else:
            raise TemplateError("job has neither a body nor a partial", job.origin)
        job_variable = {
            "id": job.id,
            "attempt": job.attempt,
            "max_attempts": job.max_attempts,
            "source_name": job.source_name,
            "priority": job.priority,
        }
        scope = {"context": self._context_variable(state.context), "job": job_variable}
        output = self._run(template, state, scope, job.arguments, job.origin.path)
        if job.body is not None:
            # The padding that placed the body at its origin renders as text.
            padding = _padding(job.origin)
            output = output.removeprefix(padding)
        return output

    def _context_variable(self, stored: Mapping[str, object]) -> dict[str, object]:
        """`context` as templates see it: the stored part, the app's constants and
        the secrets (the rendering process's, never part of a queued job's context)."""
        return {"constants": dict(self.config.constants), **stored, "secrets": self._secrets()}

    def _body_template(self, body: str, origin: Location) -> BoundTemplate:
        """Parse a stored body as if it sat at its origin, so python-liquid's
        positions are the file's; cached by content and origin."""
        key = (origin.path, origin.line, origin.column, body)
        with self._bodies_lock:
            cached = self._bodies.get(key)
            if cached is not None:
                self._bodies.move_to_end(key)
                return cached
        try:
            template = self.env.from_string(
                _padding(origin) + body, name=_short_name(origin.path), path=origin.path
            )
        except LiquidError as err:
            raise self._convert(err, origin.path) from None
        with self._bodies_lock:
            self._bodies[key] = template
            while len(self._bodies) > _BODY_CACHE_SIZE:
                self._bodies.popitem(last=False)
        return template

    # -- functions -------------------------------------------------------------

    def call_function(
        self, partial: str, variables: Mapping[str, object], *, path: str | None = None
    ) -> object:
        """Render a partial function-style; return the value of its `{% return %}`.

        `path` (relative to the root) names the file exactly, bypassing the
        partial search. Output, jobs, events and logs of the partial are discarded.
        """
        template = self._load(path) if path is not None else self._load_partial(partial, None)
        context_variable = {
            "environment": self.config.environment,
            "location": {"path": None, "template": str(template.path)},
        }
        state = RenderState(self.clock, context=context_variable, limits=self.config.limits)
        scope = {"context": self._context_variable(context_variable)}
        context = self._context(template, state, scope, dict(variables))
        try:
            template.render_with_context(context, NullIO(), partial=True, block_scope=True)
        except ReturnSignal as returned:
            return None if isinstance(returned.value, Undefined) else returned.value
        except LiquidError as err:
            raise self._convert(err, str(template.path)) from None
        return None

    # -- files -----------------------------------------------------------------

    def front_matter(self, relative_path: str) -> dict[str, Any]:
        """The YAML front matter of a template (empty when it has none)."""
        return dict(self.loader.read(relative_path).front_matter)

    def list_templates(self, directory: str, *, recursive: bool = False) -> list[str]:
        """Relative paths of the `.liquid` files in `directory` (relative to the root), sorted."""
        base = self.root / directory
        if not base.is_dir():
            return []
        files = base.rglob(f"*{EXTENSION}") if recursive else base.glob(f"*{EXTENSION}")
        return sorted(path.relative_to(self.root).as_posix() for path in files if path.is_file())

    # -- checking --------------------------------------------------------------

    def check(self, event_types: Collection[str] | None = None) -> list[Problem]:
        """Parse every template under `app/`, background bodies included, and
        report every problem found: syntax errors, invalid literal job options,
        undescriptive or missing source names, bad front matter, unknown filters,
        variables a job will not have (liquid/checks.py). `event_types`: the
        types a render may publish (None: not judged)."""
        collector = ProblemCollector()
        checker = TemplateChecker(
            collector, self.loader.find_partial, self.root, event_types, self.outside.functions
        )
        env = build_environment(self.root, self.config, checker=checker)
        for file in iter_template_files(self.root):
            relative = file.relative_to(self.root).as_posix()
            collector.path = relative
            try:
                source = self.loader.read(relative)
            except TemplateError as err:
                collector.add(Problem(err.location or Location(relative), err.message, "error"))
                continue
            try:
                template = env.from_string(source.text, name=_short_name(relative), path=relative)
            except LiquidError as err:  # the lexer cannot carry on past some errors
                collector.syntax_error(err)
                continue
            checker.template_parsed(template, relative)
        return collector.sorted()

    # -- rendering -------------------------------------------------------------

    def _load(self, relative: str) -> BoundTemplate:
        try:
            return self.loader.load_path(self.env, relative)
        except LiquidError as err:
            raise self._convert(err, relative) from None

    def _load_partial(self, name: str, origin: Location | None) -> BoundTemplate:
        try:
            relative = self.loader.find_partial(name)
        except TemplateNotFoundError as err:
            raise (
                NotFound(str(err.message))
                if origin is None
                else TemplateError(str(err.message), origin)
            ) from None
        return self._load(relative)

    def _context(
        self,
        template: BoundTemplate,
        state: RenderState,
        scope: Mapping[str, object],
        variables: dict[str, object],
    ) -> Any:
        context = template.context_class(template, globals=template.make_globals(scope))
        assert isinstance(context, AppContext)
        context.liqueue_state = state
        # Variables are locals, not globals: python-liquid hands globals on to
        # `render`ed partials, and platformOS isolates those from the caller.
        context.assign_all(variables)
        return context

    def _run(
        self,
        template: BoundTemplate,
        state: RenderState,
        scope: Mapping[str, object],
        variables: dict[str, object],
        path: str,
    ) -> str:
        context = self._context(template, state, scope, variables)
        limit = self.env.output_stream_limit
        buffer = output_buffer(limit)
        try:
            self._render_into(template, context, buffer, path)
            guard_outbox(state.outbox, self.secrets, path)
        except BaseException as err:
            # A failed job keeps its log entries (`attempt_job`): never with a secret.
            mask_error(err, self.secrets)
            mask_logs(state.outbox, self.secrets)
            raise
        return buffer.getvalue()

    def _secrets(self) -> dict[str, str]:
        return self.secrets.for_template()

    def _render_into(
        self, template: BoundTemplate, context: Any, buffer: StringIO, path: str
    ) -> None:
        try:
            template.render_with_context(context, buffer)
        except ReturnSignal:
            pass  # `return` outside a function ends the render
        except LiquidError as err:
            raise self._convert(err, path) from None
        except (TemplateError, TimeLimitExceeded):
            raise
        except Exception as err:
            stopped = time_limit_in_chain(err)
            if stopped is not None:
                raise stopped from None
            raise TemplateError(f"{type(err).__name__}: {err}", Location(path)) from err

    def _convert(self, err: LiquidError, path: str) -> Exception:
        stopped = time_limit_in_chain(err)
        if stopped is not None:
            return stopped
        return to_template_error(err, path)


def _padding(origin: Location) -> str:
    return "\n" * max(origin.line - 1, 0) + " " * max(origin.column - 1, 0)


def _page_url(relative: str) -> str:
    prefix = PAGES_DIR + "/"
    if not relative.startswith(prefix):
        return "/" + relative.removesuffix(EXTENSION)
    page = relative[len(prefix) :].removesuffix(EXTENSION)
    if page == "index":
        return "/"
    return "/" + page.removesuffix("/index")
