"""Run every benchmark, liqueue and huey side by side, and print the figures.

    bench/setup                      # once: bench/.venv with liqueue + huey
    bench/.venv/bin/python bench/run_all.py [--quick] [--json results.json]

Prints the machine (date, nproc, CPU model, Python, SQLite) and each
script's figures as it goes; --json also saves them all. --quick runs
fewer samples, for a smoke test only.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import delays
import latency
import memory
import render_enqueue
import throughput
from _common import machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    quick = args.quick
    results: dict[str, Any] = {"machine": machine()}
    for key, value in results["machine"].items():
        print(f"{key}: {value}")
    steps: list[tuple[str, Any, list[str]]] = [
        (
            "render_enqueue",
            render_enqueue.main,
            ["--runs", "5"] if quick else [],
        ),
        ("throughput", throughput.main, ["--runs", "1", "--jobs", "2000"] if quick else []),
        ("latency", latency.main, ["--samples", "30", "--idle", "2"] if quick else []),
        ("delays", delays.main, ["--jobs", "100"] if quick else []),
        ("memory", memory.main, ["--jobs", "2000"] if quick else []),
    ]
    for name, run, argv in steps:
        print(f"\n== {name} {' '.join(argv)}", flush=True)
        results[name] = run(argv)
    results["loadavg_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nloadavg at the end: {results['loadavg_at_end']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
