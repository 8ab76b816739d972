-- The attempt lines of one insert (logs.id above :after), added to attempt_counts
-- as migration 0005's trigger did row by row; buckets as there.
-- NOT INDEXED: the new lines by id, not every attempt line through logs_type_at.
INSERT INTO attempt_counts (source_name, status, le_ms, n, sum_ms)
SELECT source_name, status,
       CASE
           WHEN coalesce(duration_ms, 0) <= 5 THEN 5
           WHEN duration_ms <= 10 THEN 10
           WHEN duration_ms <= 25 THEN 25
           WHEN duration_ms <= 50 THEN 50
           WHEN duration_ms <= 100 THEN 100
           WHEN duration_ms <= 250 THEN 250
           WHEN duration_ms <= 500 THEN 500
           WHEN duration_ms <= 1000 THEN 1000
           WHEN duration_ms <= 2500 THEN 2500
           WHEN duration_ms <= 5000 THEN 5000
           WHEN duration_ms <= 10000 THEN 10000
           WHEN duration_ms <= 30000 THEN 30000
           WHEN duration_ms <= 60000 THEN 60000
           ELSE -1
       END,
       count(*), sum(coalesce(duration_ms, 0))
FROM logs NOT INDEXED
WHERE id > :after AND type = 'attempt' AND source_name IS NOT NULL AND status IS NOT NULL
GROUP BY 1, 2, 3
ON CONFLICT (source_name, status, le_ms) DO UPDATE
SET n = n + excluded.n, sum_ms = sum_ms + excluded.sum_ms
