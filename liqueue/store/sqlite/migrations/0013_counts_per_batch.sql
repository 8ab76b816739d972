-- Row triggers cost a trigger program per row: a worker's batch of 260
-- completions spent a few us per job in them. The store now counts per
-- statement, in the same transaction as the rows (store/sqlite/counts.py):
-- the attempt lines of one insert go to attempt_counts and attempt_minutes
-- (sql/count_attempts.sql, sql/count_attempt_minutes.sql), and the jobs a
-- statement takes out of 'running' (completions, rescues, releases) to
-- job_counts (sql/count_left_running.sql). The trigger keeps counting every
-- other change of state (claims, cancels, retries, hand edits). Changes
-- made with plain SQL to rows in 'running', and attempt lines inserted with
-- plain SQL, are no longer counted by the database: whoever does that
-- recounts job_counts (sql/recount_job_counts.sql), or runs the two count
-- statements over the new lines, in the same transaction.
DROP TRIGGER attempt_counts_insert;
DROP TRIGGER attempt_minutes_insert;
DROP TRIGGER job_counts_update;

CREATE TRIGGER job_counts_update AFTER UPDATE OF state, priority, source_name ON jobs
WHEN OLD.state IS NOT 'running'
  AND (OLD.state IS NOT NEW.state OR OLD.priority IS NOT NEW.priority
       OR OLD.source_name IS NOT NEW.source_name)
BEGIN
    UPDATE job_counts SET n = n - 1
    WHERE state = OLD.state AND priority = OLD.priority AND source_name = OLD.source_name;
    INSERT INTO job_counts (state, priority, source_name, n)
    VALUES (NEW.state, NEW.priority, NEW.source_name, 1)
    ON CONFLICT (state, priority, source_name) DO UPDATE SET n = n + 1;
END;

-- jobs_state (state, finished_at) is read only by prune, for finished jobs,
-- yet every claim moved its entry (scheduled -> running) and every completion
-- moved it again. Narrowed to finished jobs (prune's finished_at < :before
-- implies the IS NOT NULL), a claim leaves it alone and a completion adds one
-- entry; the million jobs queued for later are not in it either.
DROP INDEX jobs_state;
CREATE INDEX jobs_finished ON jobs (state, finished_at) WHERE finished_at IS NOT NULL;
