SELECT id, type, payload, at, valid, errors, origin, context FROM events
WHERE (%(type)s::text IS NULL OR type = %(type)s)
ORDER BY at DESC, id DESC
LIMIT %(limit)s
