-- Attempts of each source_name and duration bucket in the minutes from a time
-- on: whole hours from attempt_hours, the minutes before the first whole hour
-- from the folded minutes, and the deltas not yet folded (in neither table)
-- wherever they fall. One statement, one snapshot: a delta is counted once
-- whether a concurrent compaction has folded it or not. Bounds are bigint so
-- the partial indexes on minute serve each part.
SELECT source_name, le_ms, sum(n), sum(failed), sum(retries), sum(sum_ms), max(max_ms)
FROM (
    SELECT source_name, le_ms, n, failed, retries, sum_ms, max_ms
    FROM attempt_hours
    WHERE hour >= (ceil(%(since)s::float8 / 3600) * 3600)::bigint
    UNION ALL
    SELECT source_name, le_ms, n, failed, retries, sum_ms, max_ms
    FROM attempt_minutes
    WHERE folded AND minute >= (ceil(%(since)s::float8 / 60) * 60)::bigint
      AND minute < (ceil(%(since)s::float8 / 3600) * 3600)::bigint
    UNION ALL
    SELECT source_name, le_ms, n, failed, retries, sum_ms, max_ms
    FROM attempt_minutes
    WHERE NOT folded AND minute >= (ceil(%(since)s::float8 / 60) * 60)::bigint
) AS kept
GROUP BY source_name, le_ms
