-- The job and its log lines, unless it is running.
WITH deleted AS (
    DELETE FROM jobs WHERE id = %(id)s AND state <> 'running' RETURNING id
), deleted_logs AS (
    DELETE FROM logs WHERE job_id IN (SELECT id FROM deleted)
)
SELECT id FROM deleted
