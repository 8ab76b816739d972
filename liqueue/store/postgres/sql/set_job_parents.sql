-- The job whose outcome queued a job (parent and child ids, as two arrays).
UPDATE jobs SET parent_job_id = pair.parent
FROM unnest(%(parents)s::text[], %(children)s::text[]) AS pair (parent, child)
WHERE jobs.id = pair.child
