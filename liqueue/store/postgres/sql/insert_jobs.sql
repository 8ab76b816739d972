-- One statement for the whole batch: columns arrive as arrays, in binary format: text
-- arrays of many elements are much cheaper to send that way than quoted as text.
-- Ids come from the JobSpec, so a repeated enqueue of the same outbox is a no-op.
INSERT INTO jobs (
    id, state, priority, source_name, body, partial, arguments, context,
    origin_path, origin_line, origin_column, max_attempts, attempt, run_at, created_at, event_id
)
SELECT id, 'scheduled', priority, source_name, body, partial, arguments, context,
    origin_path, origin_line, origin_column, max_attempts, 0, run_at, created_at, event_id
FROM unnest(
    %b::text[], %b::smallint[], %b::text[], %b::text[], %b::text[], %b::jsonb[], %b::jsonb[],
    %b::text[], %b::integer[], %b::integer[], %b::integer[], %b::float8[], %b::float8[],
    %b::text[]
) AS batch (
    id, priority, source_name, body, partial, arguments, context,
    origin_path, origin_line, origin_column, max_attempts, run_at, created_at, event_id
)
ON CONFLICT (id) DO NOTHING
