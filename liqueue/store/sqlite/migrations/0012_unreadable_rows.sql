-- The lifeline's sweep for rows edited by hand into a state or priority no
-- claim looks for (kill_unreadable_jobs.sql) read every job: at a million
-- jobs queued for later that was a 0.1-0.2 s scan every rescue round, the
-- first one holding up the worker's first completions. This index holds only
-- such rows, so it is empty but for a hand edit, and the sweep reads it
-- instead of the table. Its WHERE is the sweep's, word for word: the planner
-- uses a partial index only when the query's WHERE implies the index's.
CREATE INDEX jobs_unreadable ON jobs (state)
    WHERE state NOT IN ('scheduled', 'running', 'retry', 'done', 'dead', 'cancelled')
       OR (state IN ('scheduled', 'retry') AND priority NOT IN (0, 1, 2));
