-- All outcomes in one statement. Guarded by state, attempt and worker: a worker whose
-- job was rescued and claimed again must not overwrite the newer attempt (a rescue
-- undoes the attempt, so the new claim runs the same attempt number). Returns the ids
-- of the outcomes that took effect: only their jobs and events are queued. The outcomes
-- arrive as one jsonb array of rows, each an array in column order (batches.py).
UPDATE jobs AS j
SET state = o.state,
    finished_at = o.finished_at,
    run_at = coalesce(o.next_run_at, j.run_at),
    lease_until = NULL,
    error_class = o.error_class,
    error_message = o.error_message,
    error_location = o.error_location
FROM (SELECT {outcome_from_json} FROM jsonb_array_elements(%(outcomes)s::jsonb) AS r) AS o
WHERE j.id = o.id AND j.state = 'running' AND j.attempt = o.attempt
  AND (o.worker_id IS NULL OR j.worker_id = o.worker_id)
RETURNING j.id
