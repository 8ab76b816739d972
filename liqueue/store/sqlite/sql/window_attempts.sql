SELECT source_name,
       count(*),
       sum(CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END),
       sum(CASE WHEN attempt > 1 THEN 1 ELSE 0 END)
FROM logs
WHERE type = 'attempt' AND at >= :since AND source_name IS NOT NULL
GROUP BY source_name
