-- The id a render handed out for a unique job the index refused -> the job holding the key.
INSERT INTO job_aliases (id, job_id, created_at) VALUES (:id, :job_id, :now)
ON CONFLICT DO NOTHING
