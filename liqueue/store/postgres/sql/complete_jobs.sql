-- All outcomes in one statement. Guarded by state, attempt and worker: a worker whose
-- job was rescued and claimed again must not overwrite the newer attempt (a rescue
-- undoes the attempt, so the new claim runs the same attempt number). Returns the ids
-- of the outcomes that took effect: only their jobs and events are queued.
-- The ids again, last, as one array: the rows are found through the primary key.
-- Joined on the unnest alone they were planned as a hash join over every running
-- job (all workers' claims), read at each completion of any worker.
UPDATE jobs AS j
SET state = o.state,
    finished_at = o.finished_at,
    run_at = coalesce(o.next_run_at, j.run_at),
    lease_until = NULL,
    error_class = o.error_class,
    error_message = o.error_message,
    error_location = o.error_location
FROM unnest({outcome_params}) AS o ({outcome_columns})
WHERE j.id = o.id AND j.state = 'running' AND j.attempt = o.attempt
  AND (o.worker_id IS NULL OR j.worker_id = o.worker_id)
  AND j.id = ANY(%b::text[])
RETURNING j.id
