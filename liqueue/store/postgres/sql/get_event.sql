SELECT {event_columns} FROM events WHERE id = %(id)s
