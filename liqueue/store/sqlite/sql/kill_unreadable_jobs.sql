-- A row edited by hand with a state or priority no claim looks for would wait
-- forever: it is set dead, saying what it held (see rows.job_from_row).
UPDATE jobs
SET state = 'dead',
    finished_at = :now,
    lease_until = NULL,
    error_class = 'UnreadableJobRow',
    error_message = 'unreadable job row: ' || CASE
        WHEN state NOT IN ('scheduled', 'running', 'retry', 'done', 'dead', 'cancelled')
        THEN 'unknown state ''' || state || ''''
        ELSE 'unknown priority rank ' || CAST(priority AS TEXT)
    END,
    error_location = NULL
-- The WHERE of the jobs_unreadable index, word for word (migration 0014).
WHERE (state <> 'scheduled' AND state <> 'running' AND state <> 'retry'
       AND state <> 'done' AND state <> 'dead' AND state <> 'cancelled')
   OR ((state = 'scheduled' OR state = 'retry')
       AND priority <> 0 AND priority <> 1 AND priority <> 2)
RETURNING id, source_name, attempt, max_attempts, error_message
