"""One page render that queues 1,000 background jobs, timed end to end.

Measured: `App.render(page)`, i.e. rendering the page (its parsed template is
cached by the loader after the first render, as in a long-running server)
plus the one SQLite transaction that writes its outbox and the wake-up.
Two pages: 1,000 literal `{% background %}` tags, each with a small body
and two arguments, and one tag inside a 1,000-iteration `for` loop.
Warm-up renders are not counted; then p50/p95 over the timed renders.

The huey row is a reference, not the same work: 1,000 task calls, one
enqueue (one transaction) each, with no template rendering at all.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from _common import fmt_ms, make_app, sqlite_url, summary_ms, workdir

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


def time_renders(page: str, source: str, warmup: int, runs: int) -> dict[str, float]:
    from liqueue.app import App

    with workdir("render") as root:
        make_app(root, {page: source})
        with App(root, database_url=sqlite_url(root / "liqueue.db")) as app:
            samples: list[float] = []
            for index in range(warmup + runs):
                started = time.perf_counter()
                result = app.render(page)
                elapsed = time.perf_counter() - started
                if len(result.outbox.jobs) != TAGS:
                    raise RuntimeError(f"{len(result.outbox.jobs)} jobs queued, not {TAGS}")
                if index >= warmup:
                    samples.append(elapsed)
    return summary_ms(samples)


def time_huey(warmup: int, runs: int) -> dict[str, float]:
    import importlib
    import os

    with workdir("huey-render") as root:
        os.environ["BENCH_HUEY_DB"] = str(root / "huey.db")
        os.environ["BENCH_HUEY_FSYNC"] = "1"
        import peer_huey

        peer = importlib.reload(peer_huey)
        samples: list[float] = []
        for index in range(warmup + runs):
            started = time.perf_counter()
            for n in range(TAGS):
                peer.trivial(n)
            elapsed = time.perf_counter() - started
            if index >= warmup:
                samples.append(elapsed)
        peer.huey.storage.close()
    return summary_ms(samples)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-huey", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "liqueue 1,000 literal tags": time_renders(
            "literal", literal_page(TAGS), args.warmup, args.runs
        ),
        "liqueue 1 tag x 1,000 loop": time_renders("loop", loop_page(TAGS), args.warmup, args.runs),
    }
    if not args.no_huey:
        results["huey 1,000 task calls (defaults)"] = time_huey(1, max(3, args.runs // 4))
    for name, stats in results.items():
        print(f"{name}: {fmt_ms(stats)}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
