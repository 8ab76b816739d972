INSERT INTO logs (
    at, type, message, job_id, source_name, attempt, max_attempts, status,
    duration_ms, location, event_id
)
SELECT * FROM unnest(
    %s::float8[], %s::text[], %s::text[], %s::text[], %s::text[], %s::integer[],
    %s::integer[], %s::text[], %s::integer[], %s::text[], %s::text[]
)
