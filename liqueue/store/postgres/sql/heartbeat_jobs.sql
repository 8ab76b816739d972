UPDATE jobs
SET lease_until = %(lease_until)s
WHERE id = ANY(%(ids)s::text[]) AND state = 'running' AND worker_id = %(worker_id)s
