-- No conflict target: the jobs_unique index refuses a second holder of the key (a
-- concurrent holder's insert is waited for, then this row is skipped), as does
-- the primary key a repeated enqueue. Returns the ids inserted.
INSERT INTO jobs (state, attempt, {job_insert_columns}, unique_key, unique_for)
SELECT 'scheduled', 0, {job_insert_columns}, unique_key, unique_for
FROM unnest({job_insert_params}, %b::text[], %b::float8[])
    AS batch ({job_insert_columns}, unique_key, unique_for)
ON CONFLICT DO NOTHING
RETURNING id
