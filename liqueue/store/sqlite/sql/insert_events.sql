INSERT INTO events (id, type, payload, at, valid, errors, origin, context)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING
