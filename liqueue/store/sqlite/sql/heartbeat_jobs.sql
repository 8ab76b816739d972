UPDATE jobs
SET lease_until = :lease_until
WHERE id IN (SELECT value FROM json_each(:ids))
  AND state = 'running'
  AND worker_id = :worker_id
