-- No conflict target: the jobs_unique index refuses a second holder of the key (a
-- concurrent holder's insert is waited for, then this row is skipped), as does
-- the primary key a repeated enqueue. Returns the ids inserted.
INSERT INTO jobs (state, attempt, {job_insert_columns}, unique_key, unique_for)
SELECT 'scheduled', 0, {job_insert_columns}, unique_key, unique_for
FROM (
    SELECT {job_insert_from_json}, r->>14 AS unique_key, (r->>15)::float8 AS unique_for
    FROM jsonb_array_elements(%(jobs)s::jsonb) AS r  -- insert_jobs' rows, key and time after
) AS batch
ON CONFLICT DO NOTHING
RETURNING id
