SELECT source_name, duration_ms FROM logs
WHERE type = 'attempt' AND at >= %(since)s AND source_name IS NOT NULL AND duration_ms IS NOT NULL
