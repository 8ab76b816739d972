-- The (at, id) of the Nth newest matching entry (OFFSET N-1): where the newest
-- N begin, so they can be paged forward in time order like the whole log.
SELECT at, id
FROM logs
WHERE (:source_name IS NULL OR source_name = :source_name)
  AND (:status IS NULL OR status = :status)
  AND (:type IS NULL OR type = :type)
  AND (:job_id IS NULL OR job_id = :job_id)
  AND (:since IS NULL OR at >= :since)
  AND (:after_id IS NULL OR id > :after_id)
  AND (:min_duration_ms IS NULL OR duration_ms >= :min_duration_ms)
ORDER BY at DESC, id DESC
LIMIT 1 OFFSET :offset
