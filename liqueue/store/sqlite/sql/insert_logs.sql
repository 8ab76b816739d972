INSERT INTO logs (
    at, type, message, job_id, source_name, attempt, max_attempts, status,
    duration_ms, location, event_id
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
