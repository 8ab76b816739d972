-- One page of the log in time order, after the key (at, id) of the last entry
-- shown: keyset paging walks the logs_time index, so every page costs the same.
SELECT id, at, type, message, job_id, source_name, attempt, max_attempts, status,
    duration_ms, location, event_id
FROM logs
WHERE (at, id) > (:key_at, :key_id)
  AND (:source_name IS NULL OR source_name = :source_name)
  AND (:status IS NULL OR status = :status)
  AND (:type IS NULL OR type = :type)
  AND (:job_id IS NULL OR job_id = :job_id)
  AND (:since IS NULL OR at >= :since)
  AND (:after_id IS NULL OR id > :after_id)
  AND (:min_duration_ms IS NULL OR duration_ms >= :min_duration_ms)
ORDER BY at, id
LIMIT :limit
