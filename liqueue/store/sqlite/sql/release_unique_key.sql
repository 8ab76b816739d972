-- A finished job keeps its unique key for unique_for seconds; after that the key is free.
UPDATE jobs SET unique_key = NULL
WHERE unique_key = :key AND state IN ('done', 'dead', 'cancelled')
  AND coalesce(finished_at, 0) + coalesce(unique_for, 0) <= :now
