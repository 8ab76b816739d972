-- The jobs holding these unique keys now: waiting, running, or finished less than
-- unique_for ago.
SELECT unique_key, id FROM jobs
WHERE unique_key = ANY(%(keys)s)
  AND (state NOT IN ('done', 'dead', 'cancelled')
       OR coalesce(finished_at, 0) + coalesce(unique_for, 0) > %(now)s)
