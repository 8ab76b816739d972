-- The (at, id) of the Nth newest matching entry (OFFSET N-1): where the newest
-- N begin, so they can be paged forward in time order like the whole log.
SELECT at, id
FROM logs
WHERE TRUE
  AND source_name = :source_name
  AND status = :status
  AND type = :type
  AND job_id = :job_id
  AND at >= :since
  AND id > :after_id
  AND duration_ms >= :min_duration_ms
ORDER BY at DESC, id DESC
LIMIT 1 OFFSET :offset
