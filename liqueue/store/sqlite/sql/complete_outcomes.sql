-- complete_jobs for a whole batch in one statement: its one row of VALUES is
-- written once per outcome (batches.py), each `columns.OUTCOME` (state ..
-- error_location, then id, attempt, worker_id), ids all different. One
-- statement, not one per outcome, halves SQLite's time per outcome and lets
-- go of the GIL once per batch instead of once per row.
-- RETURNING names the rows it changed, and what job_counts needs (counts.py).
-- `+jobs.state` keeps SQLite from walking every running job by an index on
-- running jobs and looking each up in the batch: the batch is walked, each
-- job found by its id.
UPDATE jobs
SET state = o.column1,
    finished_at = o.column2,
    run_at = coalesce(o.column3, jobs.run_at),
    lease_until = NULL,
    error_class = o.column4,
    error_message = o.column5,
    error_location = o.column6
FROM (VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)) AS o
WHERE jobs.id = o.column7 AND +jobs.state = 'running' AND jobs.attempt = o.column8
  AND (o.column9 IS NULL OR jobs.worker_id = o.column9)
RETURNING jobs.id, jobs.state, jobs.priority, jobs.source_name
