SELECT id, type, payload, at, valid, errors, origin FROM events WHERE id = %(id)s
