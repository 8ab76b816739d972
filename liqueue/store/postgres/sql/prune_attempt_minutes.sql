-- Per-minute aggregates older than every job kept (the older of the two
-- retentions): their attempt lines went with their jobs. Folded minutes here,
-- the deltas not folded yet in prune_attempt_minute_deltas.sql.
DELETE FROM attempt_minutes WHERE minute < (ceil(%(before)s::float8))::bigint
