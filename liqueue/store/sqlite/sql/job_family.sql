-- A job's parent and what its body queued: ('parent', id, '') for the job that
-- queued it, ('job', id, state) per job and ('event', id, type) per event it
-- queued, at most LIMIT of each.
SELECT 'parent', parent_job_id, '' FROM jobs WHERE id = :id AND parent_job_id IS NOT NULL
UNION ALL
SELECT * FROM (
    SELECT 'job', id, state FROM jobs WHERE parent_job_id = :id ORDER BY created_at, id
    LIMIT :limit
)
UNION ALL
SELECT * FROM (
    SELECT 'event', id, type FROM events WHERE parent_job_id = :id ORDER BY at, id LIMIT :limit
)
