-- One statement for the whole batch: columns arrive as arrays, in binary format: text
-- arrays of many elements are much cheaper to send that way than quoted as text.
-- Ids come from the JobSpec, so a repeated enqueue of the same outbox is a no-op.
INSERT INTO jobs (state, attempt, {job_insert_columns})
SELECT 'scheduled', 0, {job_insert_columns}
FROM unnest({job_insert_params}) AS batch ({job_insert_columns})
ON CONFLICT (id) DO NOTHING
