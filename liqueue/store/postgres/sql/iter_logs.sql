-- One page of the log in time order, after the key (at, id) of the last entry
-- shown: keyset paging walks the logs_time index, so every page costs the same.
SELECT id, at, type, message, job_id, source_name, attempt, max_attempts, status,
    duration_ms, location, event_id
FROM logs
WHERE (at, id) > (%(key_at)s::float8, %(key_id)s::bigint)
  AND source_name = %(source_name)s
  AND status = %(status)s
  AND type = %(type)s
  AND job_id = %(job_id)s
  AND at >= %(since)s
  AND id > %(after_id)s
  AND duration_ms >= %(min_duration_ms)s
ORDER BY at, id
LIMIT %(limit)s
