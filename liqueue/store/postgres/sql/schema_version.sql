SELECT coalesce(max(version), 0) FROM liqueue_schema
