-- The caller deletes their log lines and aliases (store.py _delete_traces) in the same transaction.
DELETE FROM jobs WHERE id IN (SELECT value FROM json_each(:ids)) AND state <> 'running' RETURNING id
