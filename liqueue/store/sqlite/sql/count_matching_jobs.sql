-- How many jobs a filter matches (what an action on all of them would touch).
SELECT count(*)
FROM jobs
WHERE (:state IS NULL OR state = :state)
  AND (:source_name IS NULL OR source_name = :source_name)
  AND (:priority IS NULL OR priority = :priority)
  AND (:event_id IS NULL OR event_id = :event_id)
  AND (:text IS NULL OR instr(lower(arguments), lower(:text)) > 0)
  AND created_at >= :since
  AND created_at < :until
