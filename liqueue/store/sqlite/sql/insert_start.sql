INSERT INTO limit_starts (source_name, started_at) VALUES (:source_name, :now)
