-- Waiting jobs become due now (a retry's attempt count is kept).
UPDATE jobs SET run_at = :now
WHERE id IN (SELECT value FROM json_each(:ids)) AND state IN ('scheduled', 'retry') AND run_at > :now
