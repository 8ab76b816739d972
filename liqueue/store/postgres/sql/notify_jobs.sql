-- Delivered at commit, and only if the transaction commits.
SELECT pg_notify('liqueue_jobs', '')
