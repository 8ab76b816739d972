-- Delivered at commit, and only if the transaction commits.
-- The channel is the schema's (CHANNEL_SQL in wake.py, filled in at load).
SELECT pg_notify({wake_channel}, '')
