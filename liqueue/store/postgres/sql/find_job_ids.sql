-- A range on the primary key (C collation), so a prefix lookup is an index seek.
SELECT id FROM jobs WHERE id >= %(prefix)s AND id < %(upper)s ORDER BY id LIMIT %(limit)s
