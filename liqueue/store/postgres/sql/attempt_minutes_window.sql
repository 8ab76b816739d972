-- Attempts of each source_name and duration bucket in the minutes from a time on.
SELECT source_name, le_ms, sum(n), sum(failed), sum(retries), sum(sum_ms), max(max_ms)
FROM attempt_minutes
WHERE minute >= %(since)s
GROUP BY source_name, le_ms
