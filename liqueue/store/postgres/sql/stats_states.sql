SELECT source_name, state, count(*) FROM jobs GROUP BY source_name, state
