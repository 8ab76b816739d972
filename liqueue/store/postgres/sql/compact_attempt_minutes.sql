-- Move the deltas triggers appended into their minute's row and their hour's
-- (attempt_hours), in one statement: a delta leaves attempt_minute_deltas as
-- it enters both (migration 0010). One reader at a time (an advisory lock),
-- writers never wait (they only INSERT deltas).
WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtext('liqueue.attempt_minutes')) AS got),
moved AS (
    DELETE FROM attempt_minute_deltas WHERE (SELECT got FROM lock)
    RETURNING minute, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms
),
hours AS (
    INSERT INTO attempt_hours AS kept
        (hour, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms)
    SELECT minute / 3600 * 3600, source_name, le_ms, sum(n), sum(succeeded), sum(failed),
           sum(retries), sum(sum_ms), max(max_ms)
    FROM moved
    GROUP BY 1, 2, 3
    ON CONFLICT (hour, source_name, le_ms) DO UPDATE
    SET n = kept.n + excluded.n,
        succeeded = kept.succeeded + excluded.succeeded,
        failed = kept.failed + excluded.failed,
        retries = kept.retries + excluded.retries,
        sum_ms = kept.sum_ms + excluded.sum_ms,
        max_ms = greatest(kept.max_ms, excluded.max_ms)
)
INSERT INTO attempt_minutes AS kept
    (minute, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms)
SELECT minute, source_name, le_ms, sum(n), sum(succeeded), sum(failed), sum(retries),
       sum(sum_ms), max(max_ms)
FROM moved
GROUP BY minute, source_name, le_ms
ON CONFLICT (minute, source_name, le_ms) DO UPDATE
SET n = kept.n + excluded.n,
    succeeded = kept.succeeded + excluded.succeeded,
    failed = kept.failed + excluded.failed,
    retries = kept.retries + excluded.retries,
    sum_ms = kept.sum_ms + excluded.sum_ms,
    max_ms = greatest(kept.max_ms, excluded.max_ms)
