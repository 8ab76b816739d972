-- Cancelled jobs are kept as long as dead ones: both are there to be looked at.
DELETE FROM jobs
WHERE (state = 'done' AND finished_at < :done_before)
   OR (state IN ('dead', 'cancelled') AND finished_at < :dead_before)
RETURNING id
