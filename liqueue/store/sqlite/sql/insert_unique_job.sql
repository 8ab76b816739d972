-- No conflict target: the jobs_unique index refuses a second holder of the key (as
-- does the primary key a repeated enqueue).
INSERT INTO jobs (state, attempt, {job_insert_columns}, unique_key, unique_for)
VALUES ('scheduled', 0, {job_insert_params}, ?, ?)
ON CONFLICT DO NOTHING
