-- Newest first, one page after the cursor (created_at, id): the row comparison
-- is a range on the index, so the thousandth page costs what the first does.
-- Walks jobs_source_created backwards.
SELECT {job_columns}
FROM jobs
WHERE source_name = :source_name
  AND (:source_name IS NULL OR source_name = :source_name)
  AND (:priority IS NULL OR priority = :priority)
  AND (:event_id IS NULL OR event_id = :event_id)
  AND (:text IS NULL OR instr(lower(arguments), lower(:text)) > 0)
  AND created_at >= :since
  AND (created_at, id) < (:before_at, :before_id)
ORDER BY created_at DESC, id DESC
LIMIT :limit
