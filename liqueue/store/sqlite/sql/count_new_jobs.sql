-- The jobs of one insert, counted by (priority, source_name): all start scheduled.
INSERT INTO job_counts (state, priority, source_name, n)
VALUES ('scheduled', ?, ?, ?)
ON CONFLICT (state, priority, source_name) DO UPDATE SET n = n + excluded.n
