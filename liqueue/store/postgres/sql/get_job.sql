SELECT id, state, priority, source_name, body, partial, arguments, context,
    origin_path, origin_line, origin_column, max_attempts, attempt, run_at, created_at,
    started_at, finished_at, lease_until, worker_id, error_class, error_message,
    error_location, event_id
FROM jobs WHERE id = %(id)s
