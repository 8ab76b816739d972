SELECT state, priority, source_name, n FROM job_counts WHERE n <> 0
