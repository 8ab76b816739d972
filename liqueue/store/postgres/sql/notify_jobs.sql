-- Delivered at commit, and only if the transaction commits.
-- The channel is the schema's: see CHANNEL_SQL in wake.py.
SELECT pg_notify('liqueue_jobs_' || left(md5(coalesce(current_schema(), '')), 12), '')
