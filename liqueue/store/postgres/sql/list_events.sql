SELECT {event_columns} FROM events
WHERE (%(type)s::text IS NULL OR type = %(type)s)
ORDER BY at DESC, id DESC
LIMIT %(limit)s
