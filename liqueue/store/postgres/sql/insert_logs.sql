INSERT INTO logs (
    at, type, message, job_id, source_name, attempt, max_attempts, status,
    duration_ms, location, event_id
)
SELECT * FROM unnest(
    %b::float8[], %b::text[], %b::text[], %b::text[], %b::text[], %b::integer[],
    %b::integer[], %b::text[], %b::integer[], %b::text[], %b::text[]
)
