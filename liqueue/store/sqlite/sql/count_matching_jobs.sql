-- How many jobs a filter matches (what an action on all of them would touch).
-- A filter line is dropped when its parameter is None (store/filters.py), so a
-- state or a source filter counts within its index.
SELECT count(*)
FROM jobs
WHERE TRUE
  AND state = :state
  AND source_name = :source_name
  AND priority = :priority
  AND event_id = :event_id
  AND instr(lower(arguments), lower(:text)) > 0
  AND created_at >= :since
  AND created_at < :until
