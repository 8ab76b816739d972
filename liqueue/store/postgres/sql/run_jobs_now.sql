-- Waiting jobs become due now (a retry's attempt count is kept).
UPDATE jobs SET run_at = %(now)s
WHERE id = ANY(%(ids)s::text[]) AND state IN ('scheduled', 'retry') AND run_at > %(now)s
