-- With the jobs they point at (prune, delete), in the same transaction.
DELETE FROM job_aliases WHERE job_id IN (SELECT value FROM json_each(:ids))
