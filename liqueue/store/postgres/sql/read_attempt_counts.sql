SELECT source_name, status, le_ms, sum(n), sum(sum_ms) FROM attempt_counts
GROUP BY 1, 2, 3
