DELETE FROM limit_starts WHERE source_name = %(source_name)s AND started_at <= %(before)s
