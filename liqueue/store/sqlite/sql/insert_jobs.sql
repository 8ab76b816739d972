-- Ids come from the JobSpec, so a repeated enqueue of the same outbox is a no-op.
INSERT INTO jobs (state, attempt, {job_insert_columns})
VALUES ('scheduled', 0, {job_insert_params})
ON CONFLICT (id) DO NOTHING
