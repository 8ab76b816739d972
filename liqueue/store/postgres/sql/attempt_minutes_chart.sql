-- Finished attempts per minute since a time: (minute, succeeded, others).
SELECT minute, sum(succeeded), sum(n) - sum(succeeded)
FROM attempt_minutes
WHERE minute >= %(since)s
GROUP BY minute
ORDER BY minute
