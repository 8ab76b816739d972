DELETE FROM jobs WHERE id = :id AND state <> 'running' RETURNING id
