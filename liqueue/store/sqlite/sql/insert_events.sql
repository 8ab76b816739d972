INSERT INTO events (id, type, payload, at, valid, errors, origin)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING
