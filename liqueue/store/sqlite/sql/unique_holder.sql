-- The job holding a unique key now: waiting, running, or finished less than unique_for ago.
SELECT id FROM jobs
WHERE unique_key = :key
  AND (state NOT IN ('done', 'dead', 'cancelled')
       OR coalesce(finished_at, 0) + coalesce(unique_for, 0) > :now)
