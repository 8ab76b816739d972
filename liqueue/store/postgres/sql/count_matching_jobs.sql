-- How many jobs a filter matches (what an action on all of them would touch).
-- A filter line is dropped when its parameter is None (store/filters.py), so a
-- state or a source filter counts within its index. Running jobs are counted
-- apart, as find_jobs.sql lists them: the indexes by creation time leave them out.
SELECT (
    SELECT count(*)
    FROM jobs
    WHERE state <> 'running'
      AND %(state)s <> 'running'
      AND state = %(state)s
      AND source_name = %(source_name)s
      AND priority = %(priority)s
      AND event_id = %(event_id)s
      AND strpos(lower(arguments::text), lower(%(text)s)) > 0
      AND created_at >= %(since)s
      AND created_at < %(until)s
) + (
    SELECT count(*)
    FROM jobs
    WHERE state = 'running'
      AND %(state)s = 'running'
      AND source_name = %(source_name)s
      AND priority = %(priority)s
      AND event_id = %(event_id)s
      AND strpos(lower(arguments::text), lower(%(text)s)) > 0
      AND created_at >= %(since)s
      AND created_at < %(until)s
)
