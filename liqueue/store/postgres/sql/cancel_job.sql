UPDATE jobs
SET state = 'cancelled', finished_at = %(now)s
WHERE id = %(id)s AND state IN ('scheduled', 'retry')
RETURNING id
