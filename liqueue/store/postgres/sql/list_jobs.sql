SELECT {job_columns}
FROM jobs
WHERE TRUE
  AND state = %(state)s
  AND source_name = %(source_name)s
  AND event_id = %(event_id)s
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
