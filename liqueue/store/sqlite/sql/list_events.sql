SELECT id, type, payload, at, valid, errors, origin, context FROM events
WHERE (:type IS NULL OR type = :type)
ORDER BY at DESC, id DESC
LIMIT :limit
