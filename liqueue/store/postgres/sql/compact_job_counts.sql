-- Fold the deltas triggers appended into one row per key; one reader at a
-- time (an advisory lock), writers never wait (they only INSERT).
WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtext('liqueue.job_counts')) AS got),
moved AS (
    DELETE FROM job_counts WHERE (SELECT got FROM lock)
    RETURNING state, priority, source_name, n
)
INSERT INTO job_counts (state, priority, source_name, n)
SELECT state, priority, source_name, sum(n) FROM moved
GROUP BY state, priority, source_name
HAVING sum(n) <> 0
