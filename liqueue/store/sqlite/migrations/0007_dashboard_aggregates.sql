-- Finished attempts per minute, source_name and duration bucket, kept as attempt
-- lines are written: the overview's chart and stats over a window read a few
-- thousand rows instead of every attempt line of the window, and p50/p95 come
-- from the buckets. le_ms is a bucket's upper bound in ms (overview.py's
-- MINUTE_BUCKETS_MS), -1 above the last, 0 for attempts without a duration.
-- Counted like attempt_counts: attempts whose status is SUCCESS in succeeded,
-- FAILED in failed; retries are attempts beyond a job's first.
CREATE TABLE attempt_minutes (
    minute      INTEGER NOT NULL,
    source_name TEXT NOT NULL,
    le_ms       INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    succeeded   INTEGER NOT NULL,
    failed      INTEGER NOT NULL,
    retries     INTEGER NOT NULL,
    sum_ms      INTEGER NOT NULL,
    max_ms      INTEGER NOT NULL,
    PRIMARY KEY (minute, source_name, le_ms)
) WITHOUT ROWID;

CREATE TRIGGER attempt_minutes_insert AFTER INSERT ON logs
WHEN NEW.type = 'attempt' AND NEW.source_name IS NOT NULL AND NEW.status IS NOT NULL
BEGIN
    INSERT INTO attempt_minutes
        (minute, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms)
    VALUES (
        CAST(NEW.at / 60 AS INTEGER) * 60, NEW.source_name,
        CASE
            WHEN NEW.duration_ms IS NULL THEN 0
            WHEN NEW.duration_ms <= 1 THEN 1
            WHEN NEW.duration_ms <= 2 THEN 2
            WHEN NEW.duration_ms <= 3 THEN 3
            WHEN NEW.duration_ms <= 5 THEN 5
            WHEN NEW.duration_ms <= 7 THEN 7
            WHEN NEW.duration_ms <= 10 THEN 10
            WHEN NEW.duration_ms <= 15 THEN 15
            WHEN NEW.duration_ms <= 20 THEN 20
            WHEN NEW.duration_ms <= 30 THEN 30
            WHEN NEW.duration_ms <= 50 THEN 50
            WHEN NEW.duration_ms <= 70 THEN 70
            WHEN NEW.duration_ms <= 100 THEN 100
            WHEN NEW.duration_ms <= 150 THEN 150
            WHEN NEW.duration_ms <= 200 THEN 200
            WHEN NEW.duration_ms <= 300 THEN 300
            WHEN NEW.duration_ms <= 500 THEN 500
            WHEN NEW.duration_ms <= 700 THEN 700
            WHEN NEW.duration_ms <= 1000 THEN 1000
            WHEN NEW.duration_ms <= 1500 THEN 1500
            WHEN NEW.duration_ms <= 2000 THEN 2000
            WHEN NEW.duration_ms <= 3000 THEN 3000
            WHEN NEW.duration_ms <= 5000 THEN 5000
            WHEN NEW.duration_ms <= 7000 THEN 7000
            WHEN NEW.duration_ms <= 10000 THEN 10000
            WHEN NEW.duration_ms <= 15000 THEN 15000
            WHEN NEW.duration_ms <= 20000 THEN 20000
            WHEN NEW.duration_ms <= 30000 THEN 30000
            WHEN NEW.duration_ms <= 60000 THEN 60000
            WHEN NEW.duration_ms <= 120000 THEN 120000
            WHEN NEW.duration_ms <= 300000 THEN 300000
            ELSE -1
        END,
        1, NEW.status = 'SUCCESS', NEW.status = 'FAILED', coalesce(NEW.attempt, 1) > 1,
        coalesce(NEW.duration_ms, 0), coalesce(NEW.duration_ms, 0)
    )
    ON CONFLICT (minute, source_name, le_ms) DO UPDATE
    SET n = n + 1,
        succeeded = succeeded + excluded.succeeded,
        failed = failed + excluded.failed,
        retries = retries + excluded.retries,
        sum_ms = sum_ms + excluded.sum_ms,
        max_ms = max(max_ms, excluded.max_ms);
END;

INSERT INTO attempt_minutes
    (minute, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms)
SELECT CAST(at / 60 AS INTEGER) * 60, source_name,
       CASE
           WHEN duration_ms IS NULL THEN 0
           WHEN duration_ms <= 1 THEN 1
           WHEN duration_ms <= 2 THEN 2
           WHEN duration_ms <= 3 THEN 3
           WHEN duration_ms <= 5 THEN 5
           WHEN duration_ms <= 7 THEN 7
           WHEN duration_ms <= 10 THEN 10
           WHEN duration_ms <= 15 THEN 15
           WHEN duration_ms <= 20 THEN 20
           WHEN duration_ms <= 30 THEN 30
           WHEN duration_ms <= 50 THEN 50
           WHEN duration_ms <= 70 THEN 70
           WHEN duration_ms <= 100 THEN 100
           WHEN duration_ms <= 150 THEN 150
           WHEN duration_ms <= 200 THEN 200
           WHEN duration_ms <= 300 THEN 300
           WHEN duration_ms <= 500 THEN 500
           WHEN duration_ms <= 700 THEN 700
           WHEN duration_ms <= 1000 THEN 1000
           WHEN duration_ms <= 1500 THEN 1500
           WHEN duration_ms <= 2000 THEN 2000
           WHEN duration_ms <= 3000 THEN 3000
           WHEN duration_ms <= 5000 THEN 5000
           WHEN duration_ms <= 7000 THEN 7000
           WHEN duration_ms <= 10000 THEN 10000
           WHEN duration_ms <= 15000 THEN 15000
           WHEN duration_ms <= 20000 THEN 20000
           WHEN duration_ms <= 30000 THEN 30000
           WHEN duration_ms <= 60000 THEN 60000
           WHEN duration_ms <= 120000 THEN 120000
           WHEN duration_ms <= 300000 THEN 300000
           ELSE -1
       END,
       count(*), sum(status = 'SUCCESS'), sum(status = 'FAILED'),
       sum(coalesce(attempt, 1) > 1), sum(coalesce(duration_ms, 0)),
       max(coalesce(duration_ms, 0))
FROM logs
WHERE type = 'attempt' AND source_name IS NOT NULL AND status IS NOT NULL
GROUP BY 1, 2, 3;

-- The job that queued a job or published an event (its body's outbox); a
-- consumer job's parent is its event (event_id), so it has none here.
ALTER TABLE jobs ADD COLUMN parent_job_id TEXT;
ALTER TABLE events ADD COLUMN parent_job_id TEXT;
CREATE INDEX jobs_parent ON jobs (parent_job_id) WHERE parent_job_id IS NOT NULL;
CREATE INDEX events_parent ON events (parent_job_id) WHERE parent_job_id IS NOT NULL;
