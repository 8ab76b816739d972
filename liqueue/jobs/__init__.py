"""The job as data: what a tag asks for (`JobSpec`), what is stored (`Job`)."""

from liqueue.jobs.backoff import Backoff
from liqueue.jobs.job import Job, JobState
from liqueue.jobs.options import (
    JOB_OPTION_NAMES,
    MAX_ATTEMPTS_LIMIT,
    JobOptionInvalid,
    JobOptions,
    validate_delay,
    validate_job_options,
    validate_max_attempts,
    validate_priority,
    validate_source_name,
)
from liqueue.jobs.priority import Priority
from liqueue.jobs.spec import JobSpec, new_job_id, stored_json

__all__ = [
    "JOB_OPTION_NAMES",
    "MAX_ATTEMPTS_LIMIT",
    "Backoff",
    "Job",
    "JobOptionInvalid",
    "JobOptions",
    "JobSpec",
    "JobState",
    "Priority",
    "new_job_id",
    "stored_json",
    "validate_delay",
    "validate_job_options",
    "validate_max_attempts",
    "validate_priority",
    "validate_source_name",
]
