-- The job whose outcome queued a job (pairs of parent and child id, JSON).
UPDATE jobs SET parent_job_id = json_extract(pair.value, '$[0]')
FROM json_each(:pairs) AS pair
WHERE jobs.id = json_extract(pair.value, '$[1]')
