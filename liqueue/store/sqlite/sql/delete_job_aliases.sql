DELETE FROM job_aliases WHERE job_id = :id
