-- The (at, id) of the Nth newest matching entry (OFFSET N-1): where the newest
-- N begin, so they can be paged forward in time order like the whole log.
SELECT at, id
FROM logs
WHERE TRUE
  AND source_name = %(source_name)s
  AND status = %(status)s
  AND type = %(type)s
  AND job_id = %(job_id)s
  AND at >= %(since)s
  AND id > %(after_id)s
  AND duration_ms >= %(min_duration_ms)s
ORDER BY at DESC, id DESC
LIMIT 1 OFFSET %(offset)s
