-- :n jobs of one (priority, source_name) a statement took out of 'running' into
-- :state (migration 0013: the job_counts trigger leaves these to the store).
INSERT INTO job_counts (state, priority, source_name, n)
VALUES ('running', :priority, :source_name, -:n), (:state, :priority, :source_name, :n)
ON CONFLICT (state, priority, source_name) DO UPDATE SET n = n + excluded.n
