-- Newest first, one page after the cursor (created_at, id): the row comparison
-- is a range on the index, so the thousandth page costs what the first does.
-- Walks jobs_source_created backwards.
SELECT {job_columns}
FROM jobs
WHERE source_name = %(source_name)s
  AND (%(source_name)s::text IS NULL OR source_name = %(source_name)s)
  AND (%(priority)s::smallint IS NULL OR priority = %(priority)s)
  AND (%(event_id)s::text IS NULL OR event_id = %(event_id)s)
  AND (%(text)s::text IS NULL OR strpos(lower(arguments::text), lower(%(text)s)) > 0)
  AND created_at >= %(since)s
  AND (created_at, id) < (%(before_at)s, %(before_id)s)
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
