-- The job whose outcome published an event (parent and child ids, as two arrays).
UPDATE events SET parent_job_id = pair.parent
FROM unnest(%(parents)s::text[], %(children)s::text[]) AS pair (parent, child)
WHERE events.id = pair.child
