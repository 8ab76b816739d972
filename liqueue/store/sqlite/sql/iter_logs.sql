-- One page of the log in time order, after the key (at, id) of the last entry
-- shown: keyset paging walks the logs_time index, so every page costs the same.
SELECT id, at, type, message, job_id, source_name, attempt, max_attempts, status,
    duration_ms, location, event_id
FROM logs
WHERE (at, id) > (:key_at, :key_id)
  AND source_name = :source_name
  AND status = :status
  AND type = :type
  AND job_id = :job_id
  AND at >= :since
  AND id > :after_id
  AND duration_ms >= :min_duration_ms
ORDER BY at, id
LIMIT :limit
