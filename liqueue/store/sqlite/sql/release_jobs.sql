-- Back to where the claim found it: a job with earlier attempts was retrying.
-- run_at is kept, it was already due, so the job keeps its place in line.
UPDATE jobs
SET state = CASE WHEN attempt > 1 THEN 'retry' ELSE 'scheduled' END,
    attempt = attempt - 1,
    lease_until = NULL,
    worker_id = NULL,
    started_at = NULL
WHERE id IN (SELECT value FROM json_each(:ids)) AND state = 'running'
  AND (:worker_id IS NULL OR worker_id = :worker_id)
RETURNING state, priority, source_name
