-- Schedules and flow control (liqueue/policies.py). Nothing here is read by the
-- plain claim: an application without policies runs exactly as before.

-- One row per schedule and tick: its primary key lets exactly one worker, of
-- however many on however many machines, queue the tick's job.
CREATE TABLE schedule_ticks (
    schedule_name text NOT NULL,
    tick_at       double precision NOT NULL,
    job_id        text NOT NULL,
    queued_at     double precision NOT NULL,
    PRIMARY KEY (schedule_name, tick_at)
);

-- Unique jobs: a job of a `unique` source holds its key while it waits, runs
-- or retries, and for `unique_for` seconds after it ended; enqueue clears
-- expired keys before inserting, and this index refuses a second holder.
ALTER TABLE jobs ADD COLUMN unique_key text;
ALTER TABLE jobs ADD COLUMN unique_for double precision;
CREATE UNIQUE INDEX jobs_unique ON jobs (unique_key) WHERE unique_key IS NOT NULL;

-- Concurrency limits count running jobs of one source.
CREATE INDEX jobs_running_source ON jobs (source_name) WHERE state = 'running';

-- Rate limits: one row per start of a rate-limited source, pruned past its window.
CREATE TABLE limit_starts (
    source_name text NOT NULL,
    started_at  double precision NOT NULL
);
CREATE INDEX limit_starts_source ON limit_starts (source_name, started_at);

-- One row per limited source: PostgreSQL claims lock it (SQLite's BEGIN
-- IMMEDIATE already serialises claims; the table keeps both schemas alike).
CREATE TABLE source_limits (
    source_name text PRIMARY KEY
);

-- The limited claim walks one source's due jobs in the plain claim's order.
CREATE INDEX jobs_claim_source ON jobs (source_name, priority, run_at)
    WHERE state IN ('scheduled', 'retry');
