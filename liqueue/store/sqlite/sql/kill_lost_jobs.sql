-- Jobs that already cost max_rescues workers are not given another one.
UPDATE jobs
SET state = 'dead',
    rescues = rescues + 1,
    finished_at = :now,
    lease_until = NULL,
    error_class = 'WorkerLost',
    error_message = 'worker lost ' || (rescues + 1) || ' times',
    error_location = NULL
WHERE state = 'running' AND lease_until < :now AND rescues >= :max_rescues
RETURNING id, source_name, worker_id, attempt, max_attempts, rescues, state, priority, source_name
