-- Starts inside the rate window, and when the oldest of them leaves it.
SELECT count(*), min(started_at) FROM limit_starts
WHERE source_name = :source_name AND started_at > :since
