-- The limited claim (liqueue/policies.py): one limited source's due jobs, no more
-- than its limits allow (the caller counts them inside this same transaction).
-- The rows are found by their ids through the primary key, as in claim_jobs.sql:
-- written `id IN (subquery)`, a claim of 2,000 of 20,000 jobs was planned as a
-- hash join reading and hashing every row of jobs.
UPDATE jobs
SET state = 'running',
    attempt = attempt + 1,
    started_at = %(now)s,
    lease_until = %(lease_until)s,
    worker_id = %(worker_id)s
WHERE id = ANY(ARRAY(
    SELECT id FROM jobs
    WHERE state IN ('scheduled', 'retry') AND source_name = %(source_name)s AND run_at <= %(now)s
      -- Paused priorities and source_names (store/pauses.py) wait, as in claim_jobs.sql.
      AND NOT EXISTS (SELECT 1 FROM pauses WHERE pauses.source_name = %(source_name)s)
      AND priority NOT IN (SELECT priority FROM pauses WHERE priority IS NOT NULL)
    ORDER BY priority, run_at
    LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
))
RETURNING {job_columns}
