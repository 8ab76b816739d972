-- worker_id is kept: it names the lost worker in the rescue log line until the next claim.
UPDATE jobs
SET state = CASE WHEN attempt > 1 THEN 'retry' ELSE 'scheduled' END,
    attempt = attempt - 1,
    rescues = rescues + 1,
    lease_until = NULL,
    started_at = NULL
WHERE state = 'running' AND lease_until < :now
RETURNING id, source_name, worker_id, attempt + 1, max_attempts, rescues, state, priority, source_name
