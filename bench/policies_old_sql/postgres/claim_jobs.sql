-- One statement for every priority, in the order this claim tries them: each branch
-- walks jobs_claim for one priority and skips rows other workers hold; the outer
-- LIMIT stops pulling (and locking) as soon as enough rows came, so a later
-- branch only runs when the earlier ones were short. Concurrent claimers never
-- wait on each other. A NULL priority (fewer than three given) matches nothing.
-- Paused priorities and source_names (store/pauses.py) wait, unclaimed.
WITH due AS (
    SELECT id AS due_id, 1 AS rank FROM (
        SELECT id FROM jobs
        WHERE state IN ('scheduled', 'retry') AND priority = %(first)s AND run_at <= %(now)s
          AND NOT EXISTS (SELECT 1 FROM pauses WHERE pauses.priority = %(first)s)
          AND source_name NOT IN (SELECT source_name FROM pauses WHERE source_name IS NOT NULL)
        ORDER BY priority, run_at
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    ) AS p1
    UNION ALL
    SELECT id AS due_id, 2 AS rank FROM (
        SELECT id FROM jobs
        WHERE state IN ('scheduled', 'retry') AND priority = %(second)s AND run_at <= %(now)s
          AND NOT EXISTS (SELECT 1 FROM pauses WHERE pauses.priority = %(second)s)
          AND source_name NOT IN (SELECT source_name FROM pauses WHERE source_name IS NOT NULL)
        ORDER BY priority, run_at
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    ) AS p2
    UNION ALL
    SELECT id AS due_id, 3 AS rank FROM (
        SELECT id FROM jobs
        WHERE state IN ('scheduled', 'retry') AND priority = %(third)s AND run_at <= %(now)s
          AND NOT EXISTS (SELECT 1 FROM pauses WHERE pauses.priority = %(third)s)
          AND source_name NOT IN (SELECT source_name FROM pauses WHERE source_name IS NOT NULL)
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
WHERE j.id = due.due_id
-- Unqualified columns are the job's: due has only due_id and rank.
RETURNING {job_columns}, due.rank
