-- A row trigger on jobs cost about as much as the insert itself (SQLite
-- runs a trigger program per row, even one whose WHEN is false): a page
-- queueing 1,000 jobs spent ~7 ms in it. The store now adds the jobs of
-- one insert to job_counts itself, one row per (priority, source_name)
-- (insert_jobs in policy_ops.py, sql/count_new_jobs.sql). Rows written
-- into jobs with plain SQL are no longer counted by the database: whoever
-- does that recounts (sql/recount_job_counts.sql) in the same transaction.
-- Updates and deletes keep their triggers: they are one row at a time anyway.
DROP TRIGGER job_counts_insert;
