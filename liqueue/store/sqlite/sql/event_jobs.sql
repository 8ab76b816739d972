SELECT event_id, id FROM jobs
WHERE event_id IN (SELECT value FROM json_each(:ids))
ORDER BY created_at, id
