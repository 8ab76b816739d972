SELECT {event_columns} FROM events
WHERE (:type IS NULL OR type = :type)
ORDER BY at DESC, id DESC
LIMIT :limit
