-- Newest first, one page after the cursor (created_at, id): the row comparison
-- is a range on the index, so the thousandth page costs what the first does.
-- A filter line is dropped when its parameter is None (store/filters.py), so a
-- state filter walks jobs_state_created backwards, a source filter
-- jobs_source_created, and the others jobs_created. Those indexes leave running
-- jobs out (migration 0014: a claim would feed them); the second branch reads
-- them from jobs_running, in the same order. With a state given, the branch
-- that cannot hold it is cut by its one-time filter.
(
SELECT {job_columns}
FROM jobs
WHERE state <> 'running'
  AND %(state)s <> 'running'
  AND (created_at, id) < (%(before_at)s, %(before_id)s)
  AND state = %(state)s
  AND source_name = %(source_name)s
  AND priority = %(priority)s
  AND event_id = %(event_id)s
  AND strpos(lower(arguments::text), lower(%(text)s)) > 0
  AND created_at >= %(since)s
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
)
UNION ALL
(
SELECT {job_columns}
FROM jobs
WHERE state = 'running'
  AND %(state)s = 'running'
  AND (created_at, id) < (%(before_at)s, %(before_id)s)
  AND source_name = %(source_name)s
  AND priority = %(priority)s
  AND event_id = %(event_id)s
  AND strpos(lower(arguments::text), lower(%(text)s)) > 0
  AND created_at >= %(since)s
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
)
ORDER BY created_at DESC, id DESC
LIMIT %(limit)s
