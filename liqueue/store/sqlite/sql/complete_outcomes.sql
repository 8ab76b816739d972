-- complete_jobs for a whole batch in one statement: :outcomes is a JSON array of
-- `columns.OUTCOME` arrays (state .. error_location, then id, attempt, worker_id),
-- ids all different. One statement, not one per outcome, halves SQLite's time
-- per outcome and lets go of the GIL once per batch instead of once per row.
-- RETURNING names the rows it changed, and what job_counts needs (counts.py).
-- `+jobs.state` keeps SQLite from walking every running job by jobs_state and
-- looking each up in the batch: the batch is walked, each job found by its id.
UPDATE jobs
SET state = o.value ->> 0,
    finished_at = o.value ->> 1,
    run_at = coalesce(o.value ->> 2, jobs.run_at),
    lease_until = NULL,
    error_class = o.value ->> 3,
    error_message = o.value ->> 4,
    error_location = o.value ->> 5
FROM json_each(:outcomes) AS o
WHERE jobs.id = o.value ->> 6 AND +jobs.state = 'running' AND jobs.attempt = o.value ->> 7
  AND (o.value ->> 8 IS NULL OR jobs.worker_id = o.value ->> 8)
RETURNING jobs.id, jobs.state, jobs.priority, jobs.source_name
