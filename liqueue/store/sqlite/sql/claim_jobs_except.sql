-- claim_jobs.sql for the limited claim: every source but the limited ones (a JSON list).
UPDATE jobs
SET state = 'running',
    attempt = attempt + 1,
    started_at = :now,
    lease_until = :lease_until,
    worker_id = :worker_id
WHERE id IN (
    SELECT id FROM jobs
    WHERE state IN ('scheduled', 'retry') AND priority = :priority AND run_at <= :now
      AND source_name NOT IN (SELECT value FROM json_each(:limited))
    ORDER BY priority, run_at
    LIMIT :limit
)
RETURNING {job_columns}
