SELECT {job_columns}
FROM jobs WHERE id = :id
