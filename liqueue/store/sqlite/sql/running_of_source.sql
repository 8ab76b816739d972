-- Counted in jobs_running (every running job, few): `+` keeps the planner off
-- jobs_source_created, which holds every job the source ever had.
SELECT count(*) FROM jobs WHERE state = 'running' AND +source_name = :source_name
