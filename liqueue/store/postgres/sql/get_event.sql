SELECT id, type, payload, at, valid, errors, origin, context FROM events WHERE id = %(id)s
