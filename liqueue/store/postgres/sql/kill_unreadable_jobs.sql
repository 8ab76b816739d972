-- A row edited by hand with a state or priority no claim looks for would wait
-- forever: it is set dead, saying what it held (see rows.job_from_row).
UPDATE jobs
SET state = 'dead',
    finished_at = %(now)s,
    lease_until = NULL,
    error_class = 'UnreadableJobRow',
    error_message = 'unreadable job row: ' || CASE
        WHEN state NOT IN ('scheduled', 'running', 'retry', 'done', 'dead', 'cancelled')
        THEN 'unknown state ''' || state || ''''
        ELSE 'unknown priority rank ' || CAST(priority AS TEXT)
    END,
    error_location = NULL
WHERE state NOT IN ('scheduled', 'running', 'retry', 'done', 'dead', 'cancelled')
   OR (state IN ('scheduled', 'retry') AND priority NOT IN (0, 1, 2))
RETURNING id, source_name, attempt, max_attempts, error_message
