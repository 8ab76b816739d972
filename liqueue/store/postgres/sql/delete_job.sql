-- The job, its log lines and aliases (refused duplicates' ids), unless it is running.
WITH deleted AS (
    DELETE FROM jobs WHERE id = %(id)s AND state <> 'running' RETURNING id
), deleted_logs AS (
    DELETE FROM logs WHERE job_id IN (SELECT id FROM deleted)
), deleted_aliases AS (
    DELETE FROM job_aliases WHERE job_id IN (SELECT id FROM deleted)
)
SELECT id FROM deleted
