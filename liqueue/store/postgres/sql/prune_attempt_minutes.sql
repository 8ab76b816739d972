-- Per-minute aggregates older than every job kept (the older of the two
-- retentions): their attempt lines went with their jobs. Folded rows and the
-- deltas not yet folded alike.
DELETE FROM attempt_minutes WHERE minute < (ceil(%(before)s::float8))::bigint
