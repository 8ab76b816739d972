-- How many events `events list` would show without its limit.
SELECT count(*) FROM events
WHERE (%(type)s::text IS NULL OR type = %(type)s)
