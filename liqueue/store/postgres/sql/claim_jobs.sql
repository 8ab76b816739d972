-- One priority at a time. The CTE walks jobs_claim in its order, skips rows other
-- workers hold, and stops at LIMIT; concurrent claimers never wait on each other.
WITH due AS (
    SELECT id FROM jobs
    WHERE state IN ('scheduled', 'retry') AND priority = %(priority)s AND run_at <= %(now)s
    ORDER BY priority, run_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE jobs AS j
SET state = 'running',
    attempt = j.attempt + 1,
    started_at = %(now)s,
    lease_until = %(lease_until)s,
    worker_id = %(worker_id)s
FROM due
WHERE j.id = due.id
RETURNING j.id, j.state, j.priority, j.source_name, j.body, j.partial, j.arguments, j.context,
    j.origin_path, j.origin_line, j.origin_column, j.max_attempts, j.attempt, j.run_at,
    j.created_at, j.started_at, j.finished_at, j.lease_until, j.worker_id, j.error_class,
    j.error_message, j.error_location, j.event_id
