-- The deltas not folded yet of the minutes prune_attempt_minutes.sql forgets.
DELETE FROM attempt_minute_deltas WHERE minute < (ceil(%(before)s::float8))::bigint
