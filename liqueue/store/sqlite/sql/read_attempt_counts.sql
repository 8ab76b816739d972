SELECT source_name, status, le_ms, n, sum_ms FROM attempt_counts
