SELECT state, priority, source_name, sum(n) FROM job_counts
GROUP BY 1, 2, 3
HAVING sum(n) <> 0
