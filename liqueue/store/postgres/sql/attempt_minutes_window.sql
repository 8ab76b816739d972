-- Attempts of each source_name and duration bucket in the minutes from a time
-- on: whole hours from attempt_hours, the minutes before the first whole hour
-- from attempt_minutes, and the deltas not folded yet (in neither) wherever
-- they fall. One statement, one snapshot: a delta is counted once whether a
-- concurrent fold has moved it or not. Bounds are bigint, so the primary keys
-- (time first) serve the ranges.
SELECT source_name, le_ms, sum(n), sum(failed), sum(retries), sum(sum_ms), max(max_ms)
FROM (
    SELECT source_name, le_ms, n, failed, retries, sum_ms, max_ms
    FROM attempt_hours
    WHERE hour >= (ceil(%(since)s::float8 / 3600) * 3600)::bigint
    UNION ALL
    SELECT source_name, le_ms, n, failed, retries, sum_ms, max_ms
    FROM attempt_minutes
    WHERE minute >= (ceil(%(since)s::float8 / 60) * 60)::bigint
      AND minute < (ceil(%(since)s::float8 / 3600) * 3600)::bigint
    UNION ALL
    SELECT source_name, le_ms, n, failed, retries, sum_ms, max_ms
    FROM attempt_minute_deltas
    WHERE minute >= (ceil(%(since)s::float8 / 60) * 60)::bigint
) AS kept
GROUP BY source_name, le_ms
