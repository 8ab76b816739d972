-- Guarded by state, attempt and worker: a worker whose job was rescued and claimed
-- again must not overwrite the newer attempt (a rescue undoes the attempt, so the
-- new claim runs the same attempt number).
UPDATE jobs
SET state = :state,
    finished_at = :finished_at,
    run_at = coalesce(:next_run_at, run_at),
    lease_until = NULL,
    error_class = :error_class,
    error_message = :error_message,
    error_location = :error_location
WHERE id = :id AND state = 'running' AND attempt = :attempt
  AND (:worker_id IS NULL OR worker_id = :worker_id)
RETURNING state, priority, source_name
