-- Fold the deltas triggers appended into one row per key; one reader at a
-- time (an advisory lock), writers never wait (they only INSERT).
WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtext('liqueue.attempt_counts')) AS got),
moved AS (
    DELETE FROM attempt_counts WHERE (SELECT got FROM lock)
    RETURNING source_name, status, le_ms, n, sum_ms
)
INSERT INTO attempt_counts (source_name, status, le_ms, n, sum_ms)
SELECT source_name, status, le_ms, sum(n), sum(sum_ms) FROM moved
GROUP BY source_name, status, le_ms
