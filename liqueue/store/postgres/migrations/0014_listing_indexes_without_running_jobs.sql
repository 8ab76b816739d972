-- Fewer index entries per job on the hot path (0013 did the same for jobs_state).
--
-- A claim changes a job's state, so its new row version is never a HOT update:
-- every index whose predicate that version passes takes one more entry. Five
-- did, three of them the listings by creation time, which were the claim's
-- largest cost left (about 5 us of its 20 us of server time per job). They now
-- leave running jobs out, and the one index of exactly the running jobs lists
-- them by creation time: listings and counts read those in a branch of their
-- own (find_jobs.sql, list_jobs.sql, count_matching_jobs.sql). A claim now
-- feeds jobs_pkey and jobs_running only.
DROP INDEX jobs_created;
CREATE INDEX jobs_created ON jobs (created_at, id) WHERE state <> 'running';
DROP INDEX jobs_state_created;
CREATE INDEX jobs_state_created ON jobs (state, created_at, id) WHERE state <> 'running';
DROP INDEX jobs_source_created;
CREATE INDEX jobs_source_created ON jobs (source_name, created_at, id) WHERE state <> 'running';

-- jobs_running (0013) served concurrency limits (by source_name) and the rescue
-- sweep (its leases). Led by creation time it also gives a page of running
-- jobs in order, not sorted (with 50,000 running jobs, sorting one source's
-- took 130 ms); limits and the sweep read its entries whole, without the
-- table, as the sweep already did: few entries, unless thousands of workers
-- run (at 50,000, about 1 ms). It holds no id: while it did, a completion on
-- statistics of an empty table (a drain right after an enqueue) looked each
-- job up by id through it, reading it whole per job, instead of jobs_pkey.
-- Jobs created at the same time (one render's) are put in id order by an
-- incremental sort of each such group.
DROP INDEX jobs_running;
CREATE INDEX jobs_running ON jobs (created_at, source_name, lease_until) WHERE state = 'running';

-- Every attempt writes an attempt line, so every job fed logs_type_at. Lines of
-- that type are most of the log: a filter on them reads logs_time (a time
-- window), logs_source or the primary key about as fast. The index now holds
-- only the other types, the ones it finds among many attempt lines.
DROP INDEX logs_type_at;
CREATE INDEX logs_type_at ON logs (type, at) WHERE type <> 'attempt';
