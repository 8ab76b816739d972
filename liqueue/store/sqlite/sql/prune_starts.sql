DELETE FROM limit_starts WHERE source_name = :source_name AND started_at <= :before
