-- Refused duplicates' ids (job_aliases), as find_job_ids: a range on the primary key.
SELECT id, job_id FROM job_aliases WHERE id >= :prefix AND id < :upper ORDER BY id LIMIT :limit
