SELECT {job_columns}
FROM jobs
WHERE (%(state)s::text IS NULL OR state = %(state)s)
  AND (%(source_name)s::text IS NULL OR source_name = %(source_name)s)
  AND (%(event_id)s::text IS NULL OR event_id = %(event_id)s)
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
