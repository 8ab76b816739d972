UPDATE jobs
SET state = 'cancelled', finished_at = :now
WHERE id = :id AND state IN ('scheduled', 'retry')
RETURNING id
