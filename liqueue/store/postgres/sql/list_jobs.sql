-- Running jobs apart, as in find_jobs.sql: the indexes by creation time leave them out.
(
SELECT {job_columns}
FROM jobs
WHERE state <> 'running'
  AND %(state)s <> 'running'
  AND state = %(state)s
  AND source_name = %(source_name)s
  AND event_id = %(event_id)s
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
)
UNION ALL
(
SELECT {job_columns}
FROM jobs
WHERE state = 'running'
  AND %(state)s = 'running'
  AND source_name = %(source_name)s
  AND event_id = %(event_id)s
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
)
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
