"""`python -m liqueue.worker APP [OPTIONS]`: the same command as `liqueue worker APP [OPTIONS]`.

Kept for scripts and test harnesses that start one worker process
directly; it logs as a supervised worker process does.
"""

from __future__ import annotations

import logging
import sys

from liqueue.cli import cli
from liqueue.worker.supervisor import LOG_FORMAT

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    cli(["worker", *sys.argv[1:]], prog_name="python -m liqueue.worker")
