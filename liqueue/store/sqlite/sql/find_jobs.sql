-- Newest first, one page after the cursor (created_at, id): the row comparison
-- is a range on the index, so the thousandth page costs what the first does.
-- A filter line is dropped when its parameter is None (store/filters.py), so a
-- state filter walks jobs_state_created backwards (running: jobs_running), a
-- source filter jobs_source_created, and the others jobs_created.
SELECT {job_columns}
FROM jobs
WHERE (created_at, id) < (:before_at, :before_id)
  AND state = :state
  AND source_name = :source_name
  AND priority = :priority
  AND event_id = :event_id
  AND instr(lower(arguments), lower(:text)) > 0
  AND created_at >= :since
ORDER BY created_at DESC, id DESC
LIMIT :limit
