-- Newest first so `last` is a LIMIT (NULL: no limit); the caller reverses.
SELECT {log_columns}
FROM logs
WHERE (%(source_name)s::text IS NULL OR source_name = %(source_name)s)
  AND (%(status)s::text IS NULL OR status = %(status)s)
  AND (%(type)s::text IS NULL OR type = %(type)s)
  AND (%(job_id)s::text IS NULL OR job_id = %(job_id)s)
  AND (%(since)s::float8 IS NULL OR at >= %(since)s)
  AND (%(after_id)s::bigint IS NULL OR id > %(after_id)s)
ORDER BY id DESC
LIMIT %(limit)s
