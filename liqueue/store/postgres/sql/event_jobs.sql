SELECT event_id, id FROM jobs
WHERE event_id = ANY(%(ids)s::text[])
ORDER BY created_at, id
