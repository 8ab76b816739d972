-- All outcomes in one statement. Guarded by state, attempt and worker: a worker whose
-- job was rescued and claimed again must not overwrite the newer attempt (a rescue
-- undoes the attempt, so the new claim runs the same attempt number). Returns the ids
-- of the outcomes that took effect: only their jobs and events are queued. The outcomes
-- arrive as one jsonb array of rows, each an array in column order (batches.py).
-- The rows are found by their ids through the primary key (as in claim_jobs.sql).
-- With `state = 'running'` written as a constant, the planner read every running
-- job through the partial index jobs_running, with the dead entries of all jobs
-- finished since the last vacuum (a drain's completion of 21 jobs: 1,121 entries,
-- 298 heap pages), and hashed the outcomes against them. Compared with a
-- subquery's value instead, the test cannot prove that index's predicate, so
-- jobs_running is not a way in (tests/store/test_postgres_completion_plan.py).
UPDATE jobs AS j
SET state = o.state,
    finished_at = o.finished_at,
    run_at = coalesce(o.next_run_at, j.run_at),
    lease_until = NULL,
    error_class = o.error_class,
    error_message = o.error_message,
    error_location = o.error_location
FROM (SELECT {outcome_from_json} FROM jsonb_array_elements(%(outcomes)s::jsonb) AS r) AS o
WHERE j.id = ANY(ARRAY(SELECT r->>6 FROM jsonb_array_elements(%(outcomes)s::jsonb) AS r))
  AND j.id = o.id AND j.state = (SELECT 'running'::text) AND j.attempt = o.attempt
  AND (o.worker_id IS NULL OR j.worker_id = o.worker_id)
RETURNING j.id
