-- Guarded by state, attempt and worker: a worker whose job was rescued and claimed
-- again must not overwrite the newer attempt (a rescue undoes the attempt, so the
-- new claim runs the same attempt number).
UPDATE jobs
SET state = ?1,
    finished_at = ?2,
    run_at = coalesce(?3, run_at),
    lease_until = NULL,
    error_class = ?4,
    error_message = ?5,
    error_location = ?6
WHERE id = ?7 AND state = 'running' AND attempt = ?8 AND (?9 IS NULL OR worker_id = ?9)
