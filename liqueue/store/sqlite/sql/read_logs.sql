-- Newest first so `last` is a LIMIT; the caller reverses to oldest first.
-- A negative LIMIT means no limit in SQLite.
SELECT {log_columns}
FROM logs
WHERE TRUE
  AND source_name = :source_name
  AND status = :status
  AND type = :type
  AND job_id = :job_id
  AND at >= :since
  AND id > :after_id
ORDER BY id DESC
LIMIT :limit
