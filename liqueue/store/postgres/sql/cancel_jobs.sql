UPDATE jobs
SET state = 'cancelled', finished_at = %(now)s
WHERE id = ANY(%(ids)s::text[]) AND state IN ('scheduled', 'retry')
