-- next_run_at.sql without the sources whose limits are full.
SELECT min(run_at) FROM jobs
WHERE state IN ('scheduled', 'retry') AND source_name <> ALL(%(blocked)s)
