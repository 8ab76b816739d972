-- Finished attempts per minute since a time: (minute, succeeded, others).
-- Folded rows and deltas apart, with a bigint bound: each part an index range
-- of its partial index (migration 0007) instead of a scan of every minute kept.
SELECT minute, sum(succeeded), sum(n) - sum(succeeded)
FROM (
    SELECT minute, succeeded, n FROM attempt_minutes
    WHERE folded AND minute >= (ceil(%(since)s::float8 / 60) * 60)::bigint
    UNION ALL
    SELECT minute, succeeded, n FROM attempt_minutes
    WHERE NOT folded AND minute >= (ceil(%(since)s::float8 / 60) * 60)::bigint
) AS kept
GROUP BY minute
ORDER BY minute
