UPDATE jobs
SET state = 'cancelled', finished_at = :now
WHERE id IN (SELECT value FROM json_each(:ids)) AND state IN ('scheduled', 'retry')
