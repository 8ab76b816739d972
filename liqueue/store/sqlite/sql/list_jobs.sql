SELECT {job_columns}
FROM jobs
WHERE TRUE
  AND state = :state
  AND source_name = :source_name
  AND event_id = :event_id
ORDER BY created_at DESC, id DESC
LIMIT :limit
