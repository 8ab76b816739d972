-- The job whose outcome published an event (pairs of parent and child id, JSON).
UPDATE events SET parent_job_id = json_extract(pair.value, '$[0]')
FROM json_each(:pairs) AS pair
WHERE events.id = json_extract(pair.value, '$[1]')
