-- events.id has the database's collation (unlike jobs.id), so a byte range could
-- miss ids; events are looked up by hand, rarely: a plain prefix test is enough.
SELECT id FROM events WHERE starts_with(id, %(prefix)s) ORDER BY id LIMIT %(limit)s
