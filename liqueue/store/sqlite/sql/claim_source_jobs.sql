-- The limited claim (liqueue/policies.py): one limited source's due jobs, no more
-- than its limits allow (the caller counts them inside this same transaction).
UPDATE jobs
SET state = 'running',
    attempt = attempt + 1,
    started_at = :now,
    lease_until = :lease_until,
    worker_id = :worker_id
-- By rowid: the index hands the subquery each job's rowid, and the update
-- finds the row by it, without a lookup of its id in the primary key.
WHERE rowid IN (
    SELECT rowid FROM jobs
    WHERE state IN ('scheduled', 'retry') AND source_name = :source_name AND run_at <= :now
      -- Paused priorities and source_names (store/pauses.py) wait, as in claim_jobs.sql.
      AND NOT EXISTS (SELECT 1 FROM pauses WHERE pauses.source_name = :source_name)
      AND priority NOT IN (SELECT priority FROM pauses WHERE priority IS NOT NULL)
    ORDER BY priority, run_at
    LIMIT :limit
)
RETURNING {job_columns}
