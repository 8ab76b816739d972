-- A range on the primary key, so a prefix lookup is an index seek.
SELECT id FROM events WHERE id >= :prefix AND id < :upper ORDER BY id LIMIT :limit
