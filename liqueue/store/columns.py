"""The columns store statements read and write, each list named once, in order.

SQL files name a list through a placeholder filled in when they are loaded
(`{job_columns}`: the names; `{job_params}`: the backend's parameters for
them), and `rows` builds parameters and reads rows by these same lists, so
both backends and their converters cannot drift apart.
"""

from __future__ import annotations

from typing import Final

# What every query returning jobs selects.
JOB: Final = (
    "id", "state", "priority", "source_name", "body", "partial", "arguments", "context",
    "origin_path", "origin_line", "origin_column", "max_attempts", "attempt", "run_at",
    "created_at", "started_at", "finished_at", "lease_until", "worker_id", "error_class",
    "error_message", "error_location", "event_id",
)  # fmt: skip

# What an enqueue writes; state and attempt start as constants in SQL.
JOB_INSERT: Final = (
    "id", "priority", "source_name", "body", "partial", "arguments", "context",
    "origin_path", "origin_line", "origin_column", "max_attempts", "run_at", "created_at",
    "event_id",
)  # fmt: skip

# What the end of an attempt writes (state .. error_location) and is guarded by (id ..).
OUTCOME: Final = (
    "state", "finished_at", "next_run_at", "error_class", "error_message", "error_location",
    "id", "attempt", "worker_id",
)  # fmt: skip

LOG: Final = (
    "id", "at", "type", "message", "job_id", "source_name", "attempt", "max_attempts",
    "status", "duration_ms", "location", "event_id",
)  # fmt: skip

# The database numbers log entries.
LOG_INSERT: Final = LOG[1:]

EVENT: Final = ("id", "type", "payload", "at", "valid", "errors", "origin", "context")

# Placeholder name in SQL files -> columns.
LISTS: Final[dict[str, tuple[str, ...]]] = {
    "job": JOB,
    "job_insert": JOB_INSERT,
    "outcome": OUTCOME,
    "log": LOG,
    "log_insert": LOG_INSERT,
    "event": EVENT,
}
