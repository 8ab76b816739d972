-- Finished attempts per minute and outcome since a time (walks logs_type_at).
SELECT floor(at / 60) * 60 AS minute, status, count(*)
FROM logs
WHERE type = 'attempt' AND at >= %(since)s
GROUP BY 1, 2
ORDER BY 1
