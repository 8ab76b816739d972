-- Less work per job on the hot path: log lines and claims.
--
-- The histogram bucket functions (0005, 0007) found their bucket with a
-- subquery over unnest(ARRAY[...]): PostgreSQL never inlines an SQL function
-- whose body holds a subquery, so each attempt line written ran two SQL
-- functions through the executor, about 6 us each, as much as the rest of
-- the line's insert. The same buckets by array subscript and width_bucket
-- are one expression, which the planner inlines into the triggers' query.
--
-- width_bucket(ms, bounds) counts the bounds <= ms; with every bound one
-- above a bucket's upper end, that count + 1 is the first bucket whose upper
-- end is >= ms (integers: ms <= b exactly when ms < b + 1). Past the last
-- bucket the subscript is out of range, NULL, and coalesce gives -1, as the
-- subquery's empty result did. tests/store/test_postgres_buckets.py compares
-- both forms over every duration the buckets tell apart.
CREATE OR REPLACE FUNCTION liqueue_bucket_ms(ms integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(
        (ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000])
        [width_bucket(coalesce(ms, 0),
                      ARRAY[6, 11, 26, 51, 101, 251, 501, 1001, 2501, 5001, 10001, 30001, 60001])
         + 1],
        -1)
$$;

CREATE OR REPLACE FUNCTION liqueue_minute_bucket_ms(ms integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN ms IS NULL THEN 0 ELSE coalesce(
        (ARRAY[1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500,
               2000, 3000, 5000, 7000, 10000, 15000, 20000, 30000, 60000, 120000, 300000])
        [width_bucket(ms,
                      ARRAY[2, 3, 4, 6, 8, 11, 16, 21, 31, 51, 71, 101, 151, 201, 301, 501, 701,
                            1001, 1501, 2001, 3001, 5001, 7001, 10001, 15001, 20001, 30001,
                            60001, 120001, 300001])
         + 1],
        -1) END
$$;

-- A claim or a completion changes a job's state, an indexed column, so its
-- new row version is never a HOT update: every index whose predicate it
-- passes takes one more entry. A claim fed seven indexes, about 3 us per
-- index per job, half of the claim's cost. Two of them need not hold
-- running jobs:
--
-- jobs_state (state, finished_at) serves pruning and counts of finished
-- jobs; listings and counts of waiting or running jobs by state read
-- jobs_state_created, which has the same leading column. It now holds only
-- finished jobs, so claims and enqueues no longer feed it.
DROP INDEX jobs_state;
CREATE INDEX jobs_state ON jobs (state, finished_at) WHERE state IN ('done', 'dead', 'cancelled');

-- jobs_lease (lease_until) and jobs_running_source (source_name) both held
-- exactly the running jobs: one index serves concurrency limits (by
-- source_name) and the rescue sweep, which reads the running jobs' leases,
-- few rows however many jobs wait.
DROP INDEX jobs_lease;
DROP INDEX jobs_running_source;
CREATE INDEX jobs_running ON jobs (source_name, lease_until) WHERE state = 'running';
