"""One page render that queues 1,000 background jobs, timed end to end, on SQLite
and PostgreSQL, beside a plain python-liquid render of the same page without
liqueue's tags.

Measured: `App.render(page)`, i.e. rendering the page (its parsed template is
cached by the loader after the first render, as in a long-running server)
plus the one transaction that writes its outbox and the wake-up.
Two pages: 1,000 literal `{% background %}` tags, each with a small body
and two arguments, and one tag inside a 1,000-iteration `for` loop.
The plain page: the same page with each `background` block replaced by
`assign`s of its two arguments (the same expressions evaluated, nothing
queued), rendered by a bare `liquid.Environment`.
Warm-up renders are not counted; then the median (with the range, min-max)
and p95 of the timed renders, and the ratio liqueue / plain of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _common import machine, make_app, sqlite_url, workdir

TAGS = 1000


def literal_page(tags: int) -> str:
    lines = ["<h1>Order {{ order_id | default: 1 }}</h1>"]
    for n in range(tags):
        lines.append(
            f"{{% background source_name: 'mail_{n % 10}', order_id: {n}, "
            f"email: 'a{n}@example.com' %}}\n"
            f"  {{% log 'sending ' | append: email %}}\n"
            "{% endbackground %}"
        )
    return "\n".join(lines) + "\n"


def loop_page(tags: int) -> str:
    return (
        f"{{% for n in (1..{tags}) %}}"
        "{% background source_name: 'mail', order_id: n, email: 'a@example.com' %}"
        "{% log 'sending ' | append: email %}"
        "{% endbackground %}{% endfor %}"
    )


def plain_literal_page(tags: int) -> str:
    lines = ["<h1>Order {{ order_id | default: 1 }}</h1>"]
    for n in range(tags):
        lines.append(f"{{% assign order_id = {n} %}}{{% assign email = 'a{n}@example.com' %}}")
    return "\n".join(lines) + "\n"


def plain_loop_page(tags: int) -> str:
    return (
        f"{{% for n in (1..{tags}) %}}"
        "{% assign order_id = n %}{% assign email = 'a@example.com' %}"
        "{% endfor %}"
    )


def summary(samples_s: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples_s)
    return {
        "n": len(ms),
        "median": statistics.median(ms),
        "min": ms[0],
        "max": ms[-1],
        "p95": ms[min(len(ms) - 1, round(0.95 * len(ms) + 0.5) - 1)],
    }


def fmt(stats: dict[str, float]) -> str:
    return (
        f"median {stats['median']:.2f} ms (range {stats['min']:.2f}-{stats['max']:.2f}), "
        f"p95 {stats['p95']:.2f} ms, n={int(stats['n'])}"
    )


@contextmanager
def database(backend: str, root: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield sqlite_url(root / "liqueue.db")
        return
    from postgres_common import fresh_database

    with fresh_database() as url:
        yield url


def time_renders(backend: str, page: str, source: str, warmup: int, runs: int) -> dict[str, float]:
    from liqueue.app import App

    with workdir("render") as root:
        make_app(root, {page: source})
        with database(backend, root) as url, App(root, database_url=url) as app:
            app.store.migrate()
            samples: list[float] = []
            for index in range(warmup + runs):
                started = time.perf_counter()
                result = app.render(page)
                elapsed = time.perf_counter() - started
                if len(result.outbox.jobs) != TAGS:
                    raise RuntimeError(f"{len(result.outbox.jobs)} jobs queued, not {TAGS}")
                if index >= warmup:
                    samples.append(elapsed)
    return summary(samples)


def time_plain(source: str, warmup: int, runs: int) -> dict[str, float]:
    from liquid import Environment

    template = Environment().from_string(source)
    samples: list[float] = []
    for index in range(warmup + runs):
        started = time.perf_counter()
        template.render()
        elapsed = time.perf_counter() - started
        if index >= warmup:
            samples.append(elapsed)
    return summary(samples)


PAGES = {
    "1,000 literal tags": ("literal", literal_page, plain_literal_page),
    "1 tag x 1,000 loop": ("loop", loop_page, plain_loop_page),
}
TARGET_MS = {"sqlite": 20.0, "postgres": 40.0}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    shown = argv if argv is not None else sys.argv[1:]
    # The interpreter this run used (bench/.venv, or the checkout's .venv: the
    # script needs nothing beyond liqueue's own dependencies).
    python = os.path.relpath(sys.executable)
    python = "python3" if python.startswith("..") else python
    command = shlex.join([python, "bench/render_enqueue.py", *shown])
    print(f"command: {command}")
    print("machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()), flush=True)
    results: dict[str, Any] = {"command": command}
    for label, (page, make, make_plain) in PAGES.items():
        plain = time_plain(make_plain(TAGS), args.warmup, args.runs)
        results[f"plain python-liquid, {label}"] = plain
        print(f"plain python-liquid, {label} (nothing queued): {fmt(plain)}", flush=True)
        for backend in args.backends.split(","):
            stats = time_renders(backend, page, make(TAGS), args.warmup, args.runs)
            stats["ratio_to_plain"] = stats["median"] / plain["median"]
            results[f"liqueue {backend}, {label}"] = stats
            met = "met" if stats["median"] <= TARGET_MS[backend] else "NOT met"
            print(
                f"liqueue {backend:8}, {label}: {fmt(stats)}; "
                f"{stats['ratio_to_plain']:.1f}x plain (target {TARGET_MS[backend]:g} ms: {met})",
                flush=True,
            )
    print("load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
