SELECT id, state, priority, source_name, body, partial, arguments, context,
    origin_path, origin_line, origin_column, max_attempts, attempt, run_at, created_at,
    started_at, finished_at, lease_until, worker_id, error_class, error_message,
    error_location, event_id
FROM jobs
WHERE (%(state)s::text IS NULL OR state = %(state)s)
  AND (%(source_name)s::text IS NULL OR source_name = %(source_name)s)
  AND (%(event_id)s::text IS NULL OR event_id = %(event_id)s)
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
