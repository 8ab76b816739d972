"""The route table: which page answers which method and path, as platformOS routes.

A page's path comes from its file (`app/views/pages/a/b_c.liquid` answers
`/a/b-c`, `index` is `/` of its folder, `orders.json.liquid` answers
`/orders.json` as JSON) unless its front matter sets `slug`, which may hold
named parameters (`orders/:id`) and optional parts (`search(/:country)(/:city)`).
Front matter also sets `method`, `layout`, `format`, `redirect_to` with
`redirect_code`, `response_headers`, `max_deep_level` and `metadata`.

Plain data about files and front matter, no HTTP server: the web room
matches requests against it, and `liqueue check` reports its problems.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liqueue.errors import Location, TemplateError
from liqueue.liquid.loader import EXTENSION, PAGES_DIR
from liqueue.liquid.problems import Problem

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    At = Callable[[str], Location]

LAYOUTS_DIR = "app/views/layouts"
DEFAULT_LAYOUT = "application"
METHODS = ("get", "post", "put", "patch", "delete")
REDIRECT_CODES = (301, 302, 303, 307, 308)
FORMATS: dict[str, str] = {
    "html": "text/html",
    "json": "application/json",
    "xml": "application/xml",
    "rss": "application/rss+xml",
    "txt": "text/plain",
    "csv": "text/csv",
    "js": "text/javascript",
    "css": "text/css",
    "svg": "image/svg+xml",
}
FRONT_MATTER_KEYS = frozenset(
    {"slug", "method", "layout", "format", "redirect_to", "redirect_code"}
    | {"response_headers", "max_deep_level", "metadata", "converter", "authorization_policies"}
)
_PARAM = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)")
_SLUG_TEXT = re.compile(r"[A-Za-z0-9_.~!$&'*+,;=@%/-]*")


@dataclass(frozen=True)
class Route:
    """One page's answer to one method on one path pattern."""

    path: str  # the page file, relative to the application root
    method: str  # lower case
    slug: str  # as written (or derived), without leading slash
    format: str
    pattern: re.Pattern[str]
    params: tuple[str, ...]
    static: str | None  # the exact path when the slug has no parameters
    layout: str | None  # a layout name, or None for none
    redirect_to: str | None = None
    redirect_code: int = 302
    response_headers: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    max_deep_level: int = 0
    variants: tuple[str, ...] = ()  # the slug with optional parts expanded, params as ':'

    @property
    def content_type(self) -> str:
        return FORMATS.get(self.format, "text/html")

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.fullmatch(path)
        if found is None:
            return None
        return {k: v for k, v in found.groupdict().items() if v is not None and k in self.params}


@dataclass
class RouteTable:
    routes: list[Route]
    problems: list[Problem]

    def __post_init__(self) -> None:
        self._static: dict[tuple[str, str], Route] = {}
        self._dynamic: list[Route] = []
        for route in self.routes:
            if route.static is not None and not route.max_deep_level:
                self._static.setdefault((route.method, route.static), route)
            else:
                self._dynamic.append(route)
        # Fewer parameters first, then longer literal text: `orders/new` before `orders/:id`.
        self._dynamic.sort(key=lambda r: (len(r.params), -len(_PARAM.sub("", r.slug)), r.path))

    def find(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route answering `method` (lower case) at `path` (with its leading /)."""
        static = self._static.get((method, path))
        if static is not None:
            return static, {}
        for route in self._dynamic:
            if route.method == method:
                params = route.match(path)
                if params is not None:
                    return route, params
        return None

    def methods_at(self, path: str) -> list[str]:
        """Every method some page answers at `path`, for a 405's Allow header."""
        return sorted({r.method for r in self.routes if r.match(path) is not None})


def build_routes(root: Path, read_front_matter: Callable[[str], dict[str, Any]]) -> RouteTable:
    """Every page's route; problems (bad front matter, two pages on one route) apart."""
    routes: list[Route] = []
    problems: list[Problem] = []
    claimed: dict[tuple[str, str], Route] = {}
    layouts = _layout_names(root)
    for relative in page_files(root):
        try:
            route = route_for(root, relative, read_front_matter(relative), layouts)
        except TemplateError as err:
            problems.append(Problem(err.location or Location(relative), err.message, "error"))
            continue
        clash = next(
            (claimed[(route.method, v)] for v in route.variants if (route.method, v) in claimed),
            None,
        )
        if clash is not None:
            problems.append(
                Problem(
                    Location(relative),
                    f"{route.method.upper()} /{route.slug} is also claimed by {clash.path}; "
                    "set a different slug or method in one of them",
                    "error",
                )
            )
            continue
        for variant in route.variants:
            claimed[(route.method, variant)] = route
        routes.append(route)
    return RouteTable(routes, problems)


def page_files(root: Path) -> list[str]:
    base = root / PAGES_DIR
    if not base.is_dir():
        return []
    return sorted(
        p.relative_to(root).as_posix() for p in base.rglob(f"*{EXTENSION}") if p.is_file()
    )


def pages_stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when a page or layout is added, removed or edited."""
    return tuple(_walk_stamps(root / PAGES_DIR)) + tuple(_walk_stamps(root / LAYOUTS_DIR))


def _walk_stamps(directory: Path) -> Iterator[tuple[str, int, int]]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir():
            yield from _walk_stamps(Path(entry.path))
        elif entry.name.endswith(EXTENSION):
            stat = entry.stat()
            yield entry.path, stat.st_mtime_ns, stat.st_size


def route_for(root: Path, relative: str, matter: dict[str, Any], layouts: set[str]) -> Route:
    """The route of one page file, from its name and front matter."""

    def at(key: str) -> Location:
        return key_location(root, relative, key)

    name = relative[len(PAGES_DIR) + 1 :].removesuffix(EXTENSION)
    stem, _, suffix = name.rpartition(".")
    name_format = suffix if stem and suffix in FORMATS else None
    if name_format:
        name = stem
    format = str(matter.get("format") or name_format or "html")
    if format not in FORMATS:
        raise TemplateError(
            f"unknown format {format!r} (known: {', '.join(FORMATS)})", at("format")
        )
    slug = _slug_of(matter, name, at)
    method = str(matter.get("method", "get")).lower()
    if method not in METHODS:
        raise TemplateError(
            f"unknown method {matter.get('method')!r} (use one of {', '.join(METHODS)})",
            at("method"),
        )
    pattern, params, variants = compile_slug(slug, format, at)
    static = None if params or "(" in slug else _with_format("/" + slug, format)
    return Route(
        path=relative,
        method=method,
        slug=slug,
        format=format,
        pattern=_deep(pattern, _deep_level(matter, at)),
        params=params,
        static=static if static is None else (static.rstrip("/") or "/"),
        layout=_layout(matter, format, layouts, at),
        redirect_to=_optional_text(matter, "redirect_to", at),
        redirect_code=_redirect_code(matter, at),
        response_headers=_headers(matter, at),
        metadata=_metadata(matter, at),
        max_deep_level=_deep_level(matter, at),
        variants=tuple(variants),
    )


def compile_slug(
    slug: str, format: str, at: At
) -> tuple[re.Pattern[str], tuple[str, ...], list[str]]:
    """A regular expression for a slug, its parameter names, and its expanded variants."""
    params: list[str] = []
    regex = ""
    depth = 0
    index = 0
    while index < len(slug):
        char = slug[index]
        if char == "(":
            depth += 1
            regex += "(?:"
            index += 1
        elif char == ")":
            if depth == 0:
                raise TemplateError(f"slug {slug!r}: ')' without '('", at("slug"))
            depth -= 1
            regex += ")?"
            index += 1
        elif char == ":":
            found = _PARAM.match(slug, index)
            if found is None:
                raise TemplateError(
                    f"slug {slug!r}: ':' must start a parameter name like :id", at("slug")
                )
            name = found.group(1)
            if name in params:
                raise TemplateError(f"slug {slug!r}: parameter :{name} twice", at("slug"))
            params.append(name)
            regex += f"(?P<{name}>[^/]+)"
            index = found.end()
        else:
            found = _SLUG_TEXT.match(slug, index)
            assert found is not None
            text = found.group(0)
            if not text:
                raise TemplateError(
                    f"slug {slug!r}: character {char!r} cannot appear in a path",
                    at("slug"),
                )
            regex += re.escape(text)
            index = found.end()
    if depth:
        raise TemplateError(f"slug {slug!r}: '(' never closed", at("slug"))
    full = "/" + regex if regex else "/"
    if format != "html":
        full += re.escape("." + format)
    elif regex:
        full += "/?"  # `/orders/` is `/orders`
    return re.compile(full), tuple(params), _variants(slug, format)


def _variants(slug: str, format: str) -> list[str]:
    """Each way the optional parts can be present, parameters written as ':'."""
    results = [""]
    stack: list[list[str]] = []
    index = 0
    while index < len(slug):
        char = slug[index]
        if char == "(":
            stack.append(results)
            results = [r for r in results]
            index += 1
        elif char == ")":
            before = stack.pop()
            results = before + [r for r in results if r not in before]
            index += 1
        elif char == ":":
            found = _PARAM.match(slug, index)
            assert found is not None
            results = [r + ":" for r in results]
            index = found.end()
        else:
            results = [r + char for r in results]
            index += 1
    suffix = "" if format == "html" else "." + format
    return sorted({("/" + r).rstrip("/") + suffix or "/" for r in results})


def _with_format(path: str, format: str) -> str:
    return path if format == "html" else path.rstrip("/") + "." + format


def _deep(pattern: re.Pattern[str], levels: int) -> re.Pattern[str]:
    if not levels:
        return pattern
    source = pattern.pattern.removesuffix("/?")
    return re.compile(source + "(?:/[^/]+){0," + str(levels) + "}/?")


def _slug_of(matter: dict[str, Any], name: str, at: At) -> str:
    if "slug" in matter:
        slug = matter["slug"]
        if not isinstance(slug, str):
            raise TemplateError(f"slug must be text, got {slug!r}", at("slug"))
        return slug.strip().strip("/")
    parts = name.split("/")
    if parts[-1] == "index":
        parts = parts[:-1]
    return "/".join(part.replace("_", "-") for part in parts)


def _layout(matter: dict[str, Any], format: str, layouts: set[str], at: At) -> str | None:
    if "layout" not in matter:
        return DEFAULT_LAYOUT if format == "html" and DEFAULT_LAYOUT in layouts else None
    layout = matter["layout"]
    if layout in (None, "", False):
        return None
    name = str(layout).removesuffix(EXTENSION)
    if name not in layouts:
        raise TemplateError(
            f"layout {name!r} not found (looked for {LAYOUTS_DIR}/{name}{EXTENSION})",
            at("layout"),
        )
    return name


def _redirect_code(matter: dict[str, Any], at: At) -> int:
    raw = matter.get("redirect_code", 302)
    try:
        code = int(raw)
    except (TypeError, ValueError):
        code = 0
    if code not in REDIRECT_CODES:
        raise TemplateError(
            f"redirect_code must be one of {', '.join(map(str, REDIRECT_CODES))}, got {raw!r}",
            at("redirect_code"),
        )
    return code


def _headers(matter: dict[str, Any], at: At) -> dict[str, str]:
    raw = matter.get("response_headers")
    if raw is None:
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as err:
            raise TemplateError(
                f"response_headers is not valid JSON: {err.msg}", at("response_headers")
            ) from None
    if not isinstance(raw, dict):
        raise TemplateError(
            "response_headers must map header names to values", at("response_headers")
        )
    return {str(k): str(v) for k, v in raw.items()}


def _metadata(matter: dict[str, Any], at: At) -> dict[str, Any]:
    raw = matter.get("metadata") or {}
    if not isinstance(raw, dict):
        raise TemplateError("metadata must be a mapping", at("metadata"))
    return dict(raw)


def _deep_level(matter: dict[str, Any], at: At) -> int:
    raw = matter.get("max_deep_level", 0)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise TemplateError(
            f"max_deep_level must be a whole number, 0 or more, got {raw!r}",
            at("max_deep_level"),
        )
    return raw


def _optional_text(matter: dict[str, Any], key: str, at: At) -> str | None:
    raw = matter.get(key)
    if raw in (None, ""):
        return None
    if not isinstance(raw, str):
        raise TemplateError(f"{key} must be text, got {raw!r}", at(key))
    return raw


def _layout_names(root: Path) -> set[str]:
    base = root / LAYOUTS_DIR
    if not base.is_dir():
        return set()
    return {
        p.relative_to(base).as_posix().removesuffix(EXTENSION) for p in base.rglob(f"*{EXTENSION}")
    }


def layout_path(name: str) -> str:
    return f"{LAYOUTS_DIR}/{name}{EXTENSION}"


def key_location(root: Path, relative: str, key: str) -> Location:
    """The front-matter line that sets `key` (line 2 when it cannot be found)."""
    try:
        lines = (root / relative).read_text(encoding="utf-8-sig").split("\n")
    except OSError:
        return Location(relative, 2, 1)
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip("\r") == "---":
            break
        if line.startswith(f"{key}:"):
            return Location(relative, number, 1)
    return Location(relative, 2, 1)
