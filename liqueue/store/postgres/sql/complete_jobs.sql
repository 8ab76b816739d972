-- All outcomes in one statement. Guarded by state and attempt: a worker whose job
-- was rescued and claimed again must not overwrite the newer attempt.
UPDATE jobs AS j
SET state = o.state,
    finished_at = o.finished_at,
    run_at = coalesce(o.next_run_at, j.run_at),
    lease_until = NULL,
    error_class = o.error_class,
    error_message = o.error_message,
    error_location = o.error_location
FROM unnest(
    %b::text[], %b::float8[], %b::float8[], %b::text[], %b::text[], %b::text[], %b::text[],
    %b::integer[]
) AS o (state, finished_at, next_run_at, error_class, error_message, error_location, id, attempt)
WHERE j.id = o.id AND j.state = 'running' AND j.attempt = o.attempt
