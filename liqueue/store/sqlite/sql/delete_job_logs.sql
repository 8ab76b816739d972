DELETE FROM logs WHERE job_id = :id
