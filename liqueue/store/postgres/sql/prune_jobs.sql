-- Cancelled jobs are kept as long as dead ones: both are there to be looked at.
WITH pruned AS (
    DELETE FROM jobs
    WHERE (state = 'done' AND finished_at < %(done_before)s)
       OR (state IN ('dead', 'cancelled') AND finished_at < %(dead_before)s)
    RETURNING id
), pruned_logs AS (
    DELETE FROM logs WHERE job_id IN (SELECT id FROM pruned)
), pruned_aliases AS (
    DELETE FROM job_aliases WHERE job_id IN (SELECT id FROM pruned)
)
SELECT count(*) FROM pruned
