-- How many events `events list` would show without its limit.
SELECT count(*) FROM events
WHERE (:type IS NULL OR type = :type)
