INSERT INTO liqueue_schema (version, name, applied_at) VALUES (%s, %s, %s)
