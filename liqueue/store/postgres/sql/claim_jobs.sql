-- One statement for every priority, in the order this claim tries them: each branch
-- walks jobs_claim for one priority and skips rows other workers hold; the outer
-- LIMIT stops pulling (and locking) as soon as enough rows came, so a later
-- branch only runs when the earlier ones were short. Concurrent claimers never
-- wait on each other. A NULL priority (fewer than three given) matches nothing.
WITH due AS (
    SELECT id, 1 AS rank FROM (
        SELECT id FROM jobs
        WHERE state IN ('scheduled', 'retry') AND priority = %(first)s AND run_at <= %(now)s
        ORDER BY priority, run_at
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    ) AS p1
    UNION ALL
    SELECT id, 2 AS rank FROM (
        SELECT id FROM jobs
        WHERE state IN ('scheduled', 'retry') AND priority = %(second)s AND run_at <= %(now)s
        ORDER BY priority, run_at
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    ) AS p2
    UNION ALL
    SELECT id, 3 AS rank FROM (
        SELECT id FROM jobs
        WHERE state IN ('scheduled', 'retry') AND priority = %(third)s AND run_at <= %(now)s
        ORDER BY priority, run_at
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    ) AS p3
    LIMIT %(limit)s
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
    j.error_message, j.error_location, j.event_id, due.rank
