-- Newest first so `last` is a LIMIT; the caller reverses to oldest first.
-- A negative LIMIT means no limit in SQLite.
SELECT {log_columns}
FROM logs
WHERE (:source_name IS NULL OR source_name = :source_name)
  AND (:status IS NULL OR status = :status)
  AND (:type IS NULL OR type = :type)
  AND (:job_id IS NULL OR job_id = :job_id)
  AND (:since IS NULL OR at >= :since)
  AND (:after_id IS NULL OR id > :after_id)
ORDER BY id DESC
LIMIT :limit
