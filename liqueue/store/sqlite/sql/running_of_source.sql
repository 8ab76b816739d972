-- Counted in jobs_running (every running job, few, with its source_name): not
-- jobs_source_created, which holds every job the source ever had, nor
-- jobs_lease, which would look each running job up in the table.
SELECT count(*) FROM jobs INDEXED BY jobs_running
WHERE state = 'running' AND source_name = :source_name
