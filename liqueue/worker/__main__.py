"""`python -m liqueue.worker APP`: one worker process, as the supervisor starts it."""

from __future__ import annotations

import argparse
import logging
import sys

from liqueue.app import App
from liqueue.errors import LiqueueError
from liqueue.worker import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m liqueue.worker")
    parser.add_argument("app")
    parser.add_argument("--db")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--grace", type=float, default=10.0)
    parser.add_argument("--burst", action="store_true")
    parser.add_argument("--horizon", type=float, default=0.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        with App(args.app, database_url=args.db) as app:
            return run(
                app,
                concurrency=args.concurrency,
                burst=args.burst,
                burst_horizon=args.horizon,
                grace_seconds=args.grace,
            )
    except LiqueueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
