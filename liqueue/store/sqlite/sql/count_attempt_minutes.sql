-- The attempt lines of one insert (logs.id above :after), added to attempt_minutes
-- as migration 0007's trigger did row by row; buckets as there.
-- NOT INDEXED: the new lines by id, not every attempt line through logs_type_at.
INSERT INTO attempt_minutes
    (minute, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms)
SELECT CAST(at / 60 AS INTEGER) * 60, source_name,
       CASE
           WHEN duration_ms IS NULL THEN 0
           WHEN duration_ms <= 1 THEN 1
           WHEN duration_ms <= 2 THEN 2
           WHEN duration_ms <= 3 THEN 3
           WHEN duration_ms <= 5 THEN 5
           WHEN duration_ms <= 7 THEN 7
           WHEN duration_ms <= 10 THEN 10
           WHEN duration_ms <= 15 THEN 15
           WHEN duration_ms <= 20 THEN 20
           WHEN duration_ms <= 30 THEN 30
           WHEN duration_ms <= 50 THEN 50
           WHEN duration_ms <= 70 THEN 70
           WHEN duration_ms <= 100 THEN 100
           WHEN duration_ms <= 150 THEN 150
           WHEN duration_ms <= 200 THEN 200
           WHEN duration_ms <= 300 THEN 300
           WHEN duration_ms <= 500 THEN 500
           WHEN duration_ms <= 700 THEN 700
           WHEN duration_ms <= 1000 THEN 1000
           WHEN duration_ms <= 1500 THEN 1500
           WHEN duration_ms <= 2000 THEN 2000
           WHEN duration_ms <= 3000 THEN 3000
           WHEN duration_ms <= 5000 THEN 5000
           WHEN duration_ms <= 7000 THEN 7000
           WHEN duration_ms <= 10000 THEN 10000
           WHEN duration_ms <= 15000 THEN 15000
           WHEN duration_ms <= 20000 THEN 20000
           WHEN duration_ms <= 30000 THEN 30000
           WHEN duration_ms <= 60000 THEN 60000
           WHEN duration_ms <= 120000 THEN 120000
           WHEN duration_ms <= 300000 THEN 300000
           ELSE -1
       END,
       count(*), sum(status = 'SUCCESS'), sum(status = 'FAILED'),
       sum(coalesce(attempt, 1) > 1), sum(coalesce(duration_ms, 0)),
       max(coalesce(duration_ms, 0))
FROM logs NOT INDEXED
WHERE id > :after AND type = 'attempt' AND source_name IS NOT NULL AND status IS NOT NULL
GROUP BY 1, 2, 3
ON CONFLICT (minute, source_name, le_ms) DO UPDATE
SET n = n + excluded.n,
    succeeded = succeeded + excluded.succeeded,
    failed = failed + excluded.failed,
    retries = retries + excluded.retries,
    sum_ms = sum_ms + excluded.sum_ms,
    max_ms = max(max_ms, excluded.max_ms)
