-- One priority at a time: the subquery walks jobs_claim in its order and stops at LIMIT.
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
    WHERE state IN ('scheduled', 'retry') AND priority = :priority AND run_at <= :now
      -- Paused priorities and source_names (store/pauses.py) wait, unclaimed.
      AND NOT EXISTS (SELECT 1 FROM pauses WHERE pauses.priority = :priority)
      AND source_name NOT IN (SELECT source_name FROM pauses WHERE source_name IS NOT NULL)
      -- The limited claim leaves out the limited sources (a JSON list). The plain
      -- claim passes '[]': the OR stops there and json_each is never read.
      AND (:limited = '[]' OR source_name NOT IN (SELECT value FROM json_each(:limited)))
    ORDER BY priority, run_at
    LIMIT :limit
)
RETURNING {job_columns}
