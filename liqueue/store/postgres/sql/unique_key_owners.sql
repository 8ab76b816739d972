-- The jobs whose unique keys refused an insert, whatever their state: the
-- jobs_unique index lets at most one row hold a key.
SELECT unique_key, id FROM jobs WHERE unique_key = ANY(%(keys)s)
