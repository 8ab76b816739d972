-- Newest first so `last` is a LIMIT (NULL: no limit); the caller reverses.
SELECT {log_columns}
FROM logs
WHERE TRUE
  AND source_name = %(source_name)s
  AND status = %(status)s
  AND type = %(type)s
  AND job_id = %(job_id)s
  AND at >= %(since)s
  AND id > %(after_id)s
ORDER BY id DESC
LIMIT %(limit)s
