-- One page of the log in time order, after the key (at, id) of the last entry
-- shown: keyset paging walks the logs_time index, so every page costs the same.
SELECT id, at, type, message, job_id, source_name, attempt, max_attempts, status,
    duration_ms, location, event_id
FROM logs
WHERE (at, id) > (%(key_at)s::float8, %(key_id)s::bigint)
  AND (%(source_name)s::text IS NULL OR source_name = %(source_name)s)
  AND (%(status)s::text IS NULL OR status = %(status)s)
  AND (%(type)s::text IS NULL OR type = %(type)s)
  AND (%(job_id)s::text IS NULL OR job_id = %(job_id)s)
  AND (%(since)s::float8 IS NULL OR at >= %(since)s)
  AND (%(after_id)s::bigint IS NULL OR id > %(after_id)s)
  AND (%(min_duration_ms)s::int IS NULL OR duration_ms >= %(min_duration_ms)s)
ORDER BY at, id
LIMIT %(limit)s
