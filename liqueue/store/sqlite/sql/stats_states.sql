-- job_counts is kept by triggers (migration 0005): no scan of the jobs table.
SELECT source_name, state, sum(n) FROM job_counts GROUP BY source_name, state HAVING sum(n) <> 0
