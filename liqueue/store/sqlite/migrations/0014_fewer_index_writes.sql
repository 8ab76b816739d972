-- Index work per job on the hot path (insert, claim, completion), measured in
-- process at a few us a job each (docs/benchmarks.md).

-- SQLite checks a partial index's WHERE on every row written whose indexed
-- columns change, old row and new. A constant IN / NOT IN list of more than
-- two values is a probe of a temporary b-tree: jobs_unreadable's WHERE (three
-- such lists) cost about 1.5 us of each claimed job and 1 us of each insert,
-- for an index that is empty but for a hand edit. The same test written as
-- comparisons, which the sweep (sql/kill_unreadable_jobs.sql) repeats word for
-- word: the planner uses a partial index only when the query's WHERE holds the
-- index's. state and priority are NOT NULL, so <> and NOT IN agree.
DROP INDEX jobs_unreadable;
CREATE INDEX jobs_unreadable ON jobs (state)
    WHERE (state <> 'scheduled' AND state <> 'running' AND state <> 'retry'
           AND state <> 'done' AND state <> 'dead' AND state <> 'cancelled')
       OR ((state = 'scheduled' OR state = 'retry')
           AND priority <> 0 AND priority <> 1 AND priority <> 2);

-- Running jobs were in three indexes: jobs_lease (lease_until), jobs_running_source
-- (source_name) and jobs_state_created (state, created_at, id), so a claim wrote
-- three entries and its completion took them out again. jobs_lease stays (the
-- rescue's range of expired leases, and heartbeats move only its entry); the
-- other two become jobs_running, for a list of running jobs (newest first,
-- paged by (created_at, id)) and a limited source's count, which reads it whole
-- (running jobs are few: at most the workers' concurrency).
DROP INDEX jobs_running_source;
CREATE INDEX jobs_running ON jobs (created_at, id, source_name) WHERE state = 'running';
-- The other states keep their place in jobs_state_created. Written as ORs of
-- equalities: a list filtered by `state = ?` uses a partial index only when
-- its WHERE is implied, and SQLite sees `x = 'dead'` implying
-- `... OR x = 'dead' OR ...` but not `x IN (...)` nor `x <> 'running'`
-- (SQLite plans again with the bound value, so `state = ?` counts as
-- `state = 'dead'`).
DROP INDEX jobs_state_created;
CREATE INDEX jobs_state_created ON jobs (state, created_at, id)
    WHERE state = 'scheduled' OR state = 'retry' OR state = 'done'
       OR state = 'dead' OR state = 'cancelled';
