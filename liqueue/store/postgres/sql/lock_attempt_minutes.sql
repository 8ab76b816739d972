-- Wait for a compaction under way (compact_attempt_minutes.sql) and keep the
-- next one out until this transaction ends: prune rewrites attempt_hours.
SELECT pg_advisory_xact_lock(hashtext('liqueue.attempt_minutes'))
