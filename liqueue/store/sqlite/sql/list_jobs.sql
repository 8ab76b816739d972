SELECT {job_columns}
FROM jobs
WHERE (:state IS NULL OR state = :state)
  AND (:source_name IS NULL OR source_name = :source_name)
  AND (:event_id IS NULL OR event_id = :event_id)
ORDER BY created_at DESC, id DESC
LIMIT :limit
