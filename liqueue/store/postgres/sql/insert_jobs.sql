-- One statement for the whole batch. The jobs arrive as one jsonb array of rows,
-- each an array in column order (batches.py): psycopg built the 14 binary
-- arrays of the unnest() this replaced in Python, element by element; a
-- one-job insert cost the client about twice the CPU it costs this way
-- (docs/benchmarks-postgres.md, "Session 26").
-- Ids come from the JobSpec, so a repeated enqueue of the same outbox is a no-op.
INSERT INTO jobs (state, attempt, {job_insert_columns})
SELECT 'scheduled', 0, {job_insert_columns}
FROM (SELECT {job_insert_from_json} FROM jsonb_array_elements(%(jobs)s::jsonb) AS r) AS batch
ON CONFLICT (id) DO NOTHING
