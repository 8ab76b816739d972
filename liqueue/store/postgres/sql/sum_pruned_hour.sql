-- The hour a prune boundary falls in, from its minutes kept (after
-- prune_attempt_minutes and prune_attempt_hours, under lock_attempt_minutes:
-- its deltas not folded yet are in no hour yet). None if the boundary is an
-- hour's start: that hour lost nothing and was kept.
INSERT INTO attempt_hours
    (hour, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms)
SELECT minute / 3600 * 3600, source_name, le_ms, sum(n), sum(succeeded), sum(failed),
       sum(retries), sum(sum_ms), max(max_ms)
FROM attempt_minutes
WHERE minute >= (ceil(%(before)s::float8))::bigint
  AND minute < (ceil(%(before)s::float8 / 3600) * 3600)::bigint
GROUP BY 1, 2, 3
