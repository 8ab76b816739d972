-- Refused duplicates' ids (job_aliases), as find_job_ids: a range on the primary key (C collation).
SELECT id, job_id FROM job_aliases
WHERE id >= %(prefix)s AND id < %(upper)s ORDER BY id LIMIT %(limit)s
