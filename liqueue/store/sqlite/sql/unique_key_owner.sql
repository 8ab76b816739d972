-- The job whose unique key refused an insert, whatever its state: the jobs_unique
-- index lets at most one row hold a key.
SELECT id FROM jobs WHERE unique_key = :key
