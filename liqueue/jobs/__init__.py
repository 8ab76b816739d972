"""The job as data: what a tag asks for (`JobSpec`), what is stored (`Job`)."""

from liqueue.jobs.backoff import Backoff
from liqueue.jobs.job import Job, JobState
from liqueue.jobs.options import (
    MAX_ATTEMPTS_LIMIT,
    validate_delay,
    validate_max_attempts,
    validate_priority,
    validate_source_name,
)
from liqueue.jobs.priority import Priority
from liqueue.jobs.spec import JobSpec, new_job_id

__all__ = [
    "MAX_ATTEMPTS_LIMIT",
    "Backoff",
    "Job",
    "JobSpec",
    "JobState",
    "Priority",
    "new_job_id",
    "validate_delay",
    "validate_max_attempts",
    "validate_priority",
    "validate_source_name",
]
