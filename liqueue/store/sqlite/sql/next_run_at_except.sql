-- next_run_at.sql without the sources whose limits are full (a JSON list).
SELECT min(run_at) FROM jobs
WHERE state IN ('scheduled', 'retry')
  AND source_name NOT IN (SELECT value FROM json_each(:blocked))
