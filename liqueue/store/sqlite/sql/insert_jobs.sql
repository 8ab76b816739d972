-- Ids come from the JobSpec, so a repeated enqueue of the same outbox is a no-op.
INSERT INTO jobs (
    id, state, priority, source_name, body, partial, arguments, context,
    origin_path, origin_line, origin_column, max_attempts, attempt, run_at, created_at, event_id
) VALUES (?, 'scheduled', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
ON CONFLICT (id) DO NOTHING
