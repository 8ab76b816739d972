-- The ids renders handed out for unique jobs the index refused -> the jobs holding the keys.
INSERT INTO job_aliases (id, job_id, created_at)
SELECT id, job_id, %(now)s FROM unnest(%(ids)s::text[], %(job_ids)s::text[]) AS alias (id, job_id)
ON CONFLICT DO NOTHING
