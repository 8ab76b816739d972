-- Finished attempts per minute since a time: (minute, succeeded, others), from
-- the folded minutes and the deltas not folded yet. A bigint bound, so the
-- primary key serves the range.
SELECT minute, sum(succeeded), sum(n) - sum(succeeded)
FROM (
    SELECT minute, succeeded, n FROM attempt_minutes
    WHERE minute >= (ceil(%(since)s::float8 / 60) * 60)::bigint
    UNION ALL
    SELECT minute, succeeded, n FROM attempt_minute_deltas
    WHERE minute >= (ceil(%(since)s::float8 / 60) * 60)::bigint
) AS kept
GROUP BY minute
ORDER BY minute
