"""Templates of one application, found the way platformOS finds them.

Partials (`include`, `render`, `function`, `background` with a path) are
searched in `app/views/partials/` then `app/lib/`, `.liquid` implied; names
may contain dots (`events/order.created`). Template names in errors are paths
relative to the application root, e.g. `app/views/partials/emails/welcome.liquid`.
"""

from __future__ import annotations

import codecs
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from liquid.exceptions import LiquidError, TemplateNotFoundError
from liquid.loader import BaseLoader, TemplateSource

from liqueue.errors import Location, TemplateError
from liqueue.liquid.front_matter import split_front_matter
from liqueue.liquid.positions import placed

if TYPE_CHECKING:
    from collections.abc import Mapping

    from liquid import BoundTemplate, Environment, RenderContext

PARTIAL_DIRS = ("app/views/partials", "app/lib")
PAGES_DIR = "app/views/pages"
EXTENSION = ".liquid"


@dataclass(frozen=True)
class SourceFile:
    """A template file read from disk: front matter apart, line numbers kept."""

    path: str  # relative to the application root, with forward slashes
    text: str  # front matter replaced by blank lines
    front_matter: dict[str, Any]
    stamp: tuple[int, int]  # (mtime_ns, size): cheap change detection
    file_id: tuple[int, int] = (0, 0)  # (st_dev, st_ino) of the file the path led to


class AppLoader(BaseLoader):
    """Loads partials of the application rooted at `root`, caching parsed templates."""

    def __init__(self, root: Path, *, max_bytes: int | None = None) -> None:
        super().__init__()
        self.root = root
        self._real_root = root.resolve()
        self._root_text = str(root)
        self.max_bytes = max_bytes
        self._files: dict[str, SourceFile] = {}
        self._templates: dict[tuple[int, str], tuple[tuple[int, int], BoundTemplate]] = {}
        self._lock = threading.Lock()
        # Within `reusing_checks`: partial name -> (checked at, relative path) and
        # (env, relative path) -> (checked at, template), so a job's includes
        # cost no file-system call while the last check is recent enough.
        self._reuse = threading.local()
        self._found: dict[str, tuple[float, str]] = {}
        self._checked: dict[tuple[int, str], tuple[float, BoundTemplate]] = {}

    @contextmanager
    def reusing_checks(self, seconds: float) -> Iterator[None]:
        """Within this block (this thread), a partial found or a file checked less
        than `seconds` ago is not looked up on disk again: a changed or removed
        file is picked up `seconds` later at most."""
        previous = self.reuse_checks(seconds)
        try:
            yield
        finally:
            self.reuse_checks(previous)

    def reuse_checks(self, seconds: float) -> float:
        """`reusing_checks` without its block: set this thread's reuse to `seconds`
        and return what it was, for the caller to set back."""
        reuse = self._reuse
        previous: float = getattr(reuse, "seconds", 0.0)
        reuse.seconds = seconds
        return previous

    def forget_checks(self) -> None:
        """Make the next lookups within `reusing_checks` look at the files."""
        self._found.clear()
        self._checked.clear()

    def _fresh_since(self) -> float | None:
        """The oldest check still trusted now; None outside `reusing_checks`."""
        seconds: float = getattr(self._reuse, "seconds", 0.0)
        return time.monotonic() - seconds if seconds > 0 else None

    # -- finding files -------------------------------------------------------

    def partial_candidates(self, name: str) -> list[str]:
        """Relative paths tried, in order, for a partial name."""
        clean = _clean_name(name)
        if clean is None:
            return []
        # Dots belong to the name (`order.created`), so the extension is added,
        # never substituted.
        file = clean if clean.endswith(EXTENSION) else clean + EXTENSION
        return [f"{base}/{file}" for base in PARTIAL_DIRS]

    def find_partial(self, name: str) -> str:
        """The relative path of a partial; TemplateNotFoundError naming every place looked."""
        since = self._fresh_since()
        if since is None:
            return self._find_partial(name)
        found = self._found.get(name)
        if found is not None and found[0] >= since:
            return found[1]
        relative = self._find_partial(name)
        self._found[name] = (time.monotonic(), relative)
        return relative

    def _find_partial(self, name: str) -> str:
        candidates = self.partial_candidates(name)
        for relative in candidates:
            if (self.root / relative).is_file():
                outside = self.outside_target(relative)
                if outside is not None:
                    raise TemplateNotFoundError(
                        f"partial '{name}' is {relative}, a link to {outside} outside the "
                        "application; templates must be files inside it"
                    )
                return relative
        looked = ", ".join(candidates) or "nowhere: not a valid partial name"
        raise TemplateNotFoundError(f"partial '{name}' not found (looked in {looked})")

    def outside_target(self, relative: str) -> Path | None:
        """Where a file that links out of the application leads; None if it stays inside."""
        real = (self.root / relative).resolve()
        return None if real.is_relative_to(self._real_root) else real

    # -- reading files -------------------------------------------------------

    def _refuse_outside(self, relative: str) -> None:
        outside = self.outside_target(relative)
        if outside is not None:
            # A link to /etc/passwd or a sibling app would render its content.
            raise TemplateError(
                f"a link to {outside} outside the application; templates must be files inside it",
                Location(relative),
            )

    def read(self, relative: str) -> SourceFile:
        """Read a template file; TemplateError (with line) for bad front matter,
        text that is not UTF-8, a file too large or a link out of the application."""
        file_path = os.path.join(self._root_text, relative)  # pathlib cost more than the stat
        try:
            stat = os.stat(file_path)
        except OSError:
            self._refuse_outside(relative)  # a dangling link out says so
            raise
        stamp = (stat.st_mtime_ns, stat.st_size)
        file_id = (stat.st_dev, stat.st_ino)
        with self._lock:
            cached = self._files.get(relative)
        # The same file as when it was read (stat follows links, so a link
        # pointed elsewhere is another file): resolving the path again, a
        # system call per directory, is not needed per render.
        if cached is not None and cached.stamp == stamp and cached.file_id == file_id:
            return cached
        self._refuse_outside(relative)
        if self.max_bytes is not None and stat.st_size > self.max_bytes:
            # Parsing takes hundreds of times a template's size in memory.
            raise TemplateError(
                f"the file is {stat.st_size:,} bytes, more than limits.template_bytes "
                f"({self.max_bytes:,}): split it into partials",
                Location(relative),
            )
        raw = decode_template(Path(file_path).read_bytes(), relative)
        matter, text = split_front_matter(raw, relative)
        source = SourceFile(relative, text, matter, stamp, file_id)
        with self._lock:
            self._files[relative] = source
        return source

    def get_source(
        self,
        env: Environment,
        template_name: str,
        *,
        context: RenderContext | None = None,
        **kwargs: object,
    ) -> TemplateSource:
        relative = self.find_partial(template_name)
        source = self.read(relative)
        # Front matter is metadata, not variables: python-liquid would expose
        # `matter` keys to the template, so it is not passed on.
        return TemplateSource(source.text, relative, None, None)

    def load(
        self,
        env: Environment,
        name: str,
        *,
        globals: Mapping[str, object] | None = None,
        context: RenderContext | None = None,
        **kwargs: object,
    ) -> BoundTemplate:
        relative = self.find_partial(name)
        return self.load_path(env, relative)

    def load_path(self, env: Environment, relative: str) -> BoundTemplate:
        """Parse (or reuse) the template at a path relative to the root."""
        key = (id(env), relative)
        since = self._fresh_since()
        if since is not None:
            checked = self._checked.get(key)
            if checked is not None and checked[0] >= since:
                return checked[1]
            checked_at = time.monotonic()
            template = self._load_path(env, relative, key)
            self._checked[key] = (checked_at, template)
            return template
        return self._load_path(env, relative, key)

    def _load_path(self, env: Environment, relative: str, key: tuple[int, str]) -> BoundTemplate:
        source = self.read(relative)
        with self._lock:
            cached = self._templates.get(key)
        if cached is not None and cached[0] == source.stamp:
            return cached[1]
        try:
            template = env.from_string(source.text, name=_short_name(relative), path=relative)
        except LiquidError as err:
            # Errors raised while loading a partial belong to the partial, not
            # to the template whose include tag asked for it.
            wrapped = placed(err, relative)
            if wrapped is err:
                raise
            raise wrapped from err
        with self._lock:
            self._templates[key] = (source.stamp, template)
        return template


def decode_template(data: bytes, relative: str) -> str:
    """The text of a template file; TemplateError at the first byte that is not UTF-8.

    utf-8-sig: a byte order mark (Windows editors) would hide the front matter.
    No newline translation: CRLF files render CRLF output and job bodies keep
    their exact text; positions are unaffected, as python-liquid counts lines by "\\n".
    """
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line_start = data.rfind(b"\n", 0, err.start) + 1
        column = len(data[line_start : err.start].decode("utf-8")) + 1
        line = data.count(b"\n", 0, err.start) + 1
        raise TemplateError(
            f"not UTF-8 text (byte 0x{data[err.start]:02x}): save the file as UTF-8",
            Location(relative, line, column),
        ) from None


def _clean_name(name: str) -> str | None:
    parts = PurePosixPath(name.strip().replace("\\", "/")).parts
    parts = tuple(part for part in parts if part not in ("/", "."))
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _short_name(relative: str) -> str:
    # python-liquid binds `include 'x' with value` to the variable named after
    # the template, so the name is the file's stem, as Shopify's would be.
    return PurePosixPath(relative).name.removesuffix(EXTENSION)
