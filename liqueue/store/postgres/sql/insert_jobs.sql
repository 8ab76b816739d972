-- One statement for the whole batch: columns arrive as arrays.
-- Ids come from the JobSpec, so a repeated enqueue of the same outbox is a no-op.
INSERT INTO jobs (
    id, state, priority, source_name, body, partial, arguments, context,
    origin_path, origin_line, origin_column, max_attempts, attempt, run_at, created_at, event_id
)
SELECT id, 'scheduled', priority, source_name, body, partial, arguments, context,
    origin_path, origin_line, origin_column, max_attempts, 0, run_at, created_at, event_id
FROM unnest(
    %s::text[], %s::smallint[], %s::text[], %s::text[], %s::text[], %s::jsonb[], %s::jsonb[],
    %s::text[], %s::integer[], %s::integer[], %s::integer[], %s::float8[], %s::float8[],
    %s::text[]
) AS batch (
    id, priority, source_name, body, partial, arguments, context,
    origin_path, origin_line, origin_column, max_attempts, run_at, created_at, event_id
)
ON CONFLICT (id) DO NOTHING
