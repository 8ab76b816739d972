-- The (at, id) of the Nth newest matching entry (OFFSET N-1): where the newest
-- N begin, so they can be paged forward in time order like the whole log.
SELECT at, id
FROM logs
WHERE (%(source_name)s::text IS NULL OR source_name = %(source_name)s)
  AND (%(status)s::text IS NULL OR status = %(status)s)
  AND (%(type)s::text IS NULL OR type = %(type)s)
  AND (%(job_id)s::text IS NULL OR job_id = %(job_id)s)
  AND (%(since)s::float8 IS NULL OR at >= %(since)s)
  AND (%(after_id)s::bigint IS NULL OR id > %(after_id)s)
  AND (%(min_duration_ms)s::int IS NULL OR duration_ms >= %(min_duration_ms)s)
ORDER BY at DESC, id DESC
LIMIT 1 OFFSET %(offset)s
