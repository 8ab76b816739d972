-- The caller deletes their log lines (delete_logs_of_jobs) in the same transaction.
DELETE FROM jobs WHERE id IN (SELECT value FROM json_each(:ids)) AND state <> 'running' RETURNING id
