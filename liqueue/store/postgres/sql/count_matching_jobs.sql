-- How many jobs a filter matches (what an action on all of them would touch).
SELECT count(*)
FROM jobs
WHERE (%(state)s::text IS NULL OR state = %(state)s)
  AND (%(source_name)s::text IS NULL OR source_name = %(source_name)s)
  AND (%(priority)s::smallint IS NULL OR priority = %(priority)s)
  AND (%(event_id)s::text IS NULL OR event_id = %(event_id)s)
  AND (%(text)s::text IS NULL OR strpos(lower(arguments::text), lower(%(text)s)) > 0)
  AND created_at >= %(since)s
  AND created_at < %(until)s
