-- job_counts from the jobs themselves: for rows written with plain SQL
-- (bulk fills), which the store's insert path has not counted.
DELETE FROM job_counts;
INSERT INTO job_counts (state, priority, source_name, n)
SELECT state, priority, source_name, count(*) FROM jobs GROUP BY state, priority, source_name;
