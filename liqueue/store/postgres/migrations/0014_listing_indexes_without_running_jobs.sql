-- Fewer index entries per job on the hot path (0013 did the same for jobs_state).
--
-- A claim changes a job's state, so its new row version is never a HOT update:
-- every index whose predicate that version passes takes one more entry. Five
-- did, three of them the listings by creation time, which were the claim's
-- largest cost left (about 5 us of its 20 us of server time per job). They now
-- leave running jobs out, and one index lists exactly the running jobs by
-- creation time: listings and counts read those in a branch of their own
-- (find_jobs.sql, list_jobs.sql, count_matching_jobs.sql). A claim now feeds
-- jobs_pkey, jobs_running and jobs_running_created.
DROP INDEX jobs_created;
CREATE INDEX jobs_created ON jobs (created_at, id) WHERE state <> 'running';
DROP INDEX jobs_state_created;
CREATE INDEX jobs_state_created ON jobs (state, created_at, id) WHERE state <> 'running';
DROP INDEX jobs_source_created;
CREATE INDEX jobs_source_created ON jobs (source_name, created_at, id) WHERE state <> 'running';
-- Few rows, unless thousands of workers run: a page of them is read in order,
-- not sorted (with 50,000 running jobs, sorting one source's took 130 ms). The
-- running jobs of one source by creation time lead jobs_running, which also
-- serves concurrency limits (by source_name) and the rescue sweep (its leases).
-- Neither holds id: with statistics taken while nothing ran, a completion
-- looked its jobs up by id through such an index, reading all of it per job,
-- instead of through jobs_pkey. Jobs created at the same time (one render's)
-- are put in id order by an incremental sort of each such group.
CREATE INDEX jobs_running_created ON jobs (created_at) WHERE state = 'running';
DROP INDEX jobs_running;
CREATE INDEX jobs_running ON jobs (source_name, created_at, lease_until) WHERE state = 'running';

-- Every attempt writes an attempt line, so every job fed logs_type_at. Lines of
-- that type are most of the log: a filter on them reads logs_time (a time
-- window), logs_source or the primary key about as fast. The index now holds
-- only the other types, the ones it finds among many attempt lines.
DROP INDEX logs_type_at;
CREATE INDEX logs_type_at ON logs (type, at) WHERE type <> 'attempt';
