-- Guarded by state and attempt: a worker whose job was rescued and claimed again
-- must not overwrite the newer attempt.
UPDATE jobs
SET state = ?1,
    finished_at = ?2,
    run_at = coalesce(?3, run_at),
    lease_until = NULL,
    error_class = ?4,
    error_message = ?5,
    error_location = ?6
WHERE id = ?7 AND state = 'running' AND attempt = ?8
