-- A fresh start: attempts, rescues and the last error are cleared.
UPDATE jobs
SET state = 'scheduled',
    attempt = 0,
    rescues = 0,
    run_at = %(now)s,
    started_at = NULL,
    finished_at = NULL,
    lease_until = NULL,
    worker_id = NULL,
    error_class = NULL,
    error_message = NULL,
    error_location = NULL
WHERE id = ANY(%(ids)s::text[]) AND state IN ('dead', 'cancelled', 'retry')
