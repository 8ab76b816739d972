-- What the dashboard, the JSON API and /metrics read without scanning jobs or logs.

-- Live workers: each registers, heartbeats and removes itself (worker/registry.py).
CREATE TABLE workers (
    id           TEXT PRIMARY KEY,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    started_at   REAL NOT NULL,
    heartbeat_at REAL NOT NULL,
    running      INTEGER NOT NULL DEFAULT 0
);

-- Paused priorities and source_names: claims skip their jobs, which wait.
-- Exactly one of priority (its rank) and source_name is set.
CREATE TABLE pauses (
    target      TEXT PRIMARY KEY,
    priority    INTEGER,
    source_name TEXT,
    paused_at   REAL NOT NULL,
    paused_by   TEXT
);

-- Jobs by state, priority and source_name, kept by triggers so counting
-- a million jobs reads a few dozen rows.
CREATE TABLE job_counts (
    state       TEXT NOT NULL,
    priority    INTEGER NOT NULL,
    source_name TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (state, priority, source_name)
);

INSERT INTO job_counts (state, priority, source_name, n)
SELECT state, priority, source_name, count(*) FROM jobs GROUP BY state, priority, source_name;

CREATE TRIGGER job_counts_insert AFTER INSERT ON jobs
BEGIN
    INSERT INTO job_counts (state, priority, source_name, n)
    VALUES (NEW.state, NEW.priority, NEW.source_name, 1)
    ON CONFLICT (state, priority, source_name) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER job_counts_update AFTER UPDATE OF state, priority, source_name ON jobs
WHEN OLD.state IS NOT NEW.state OR OLD.priority IS NOT NEW.priority
  OR OLD.source_name IS NOT NEW.source_name
BEGIN
    UPDATE job_counts SET n = n - 1
    WHERE state = OLD.state AND priority = OLD.priority AND source_name = OLD.source_name;
    INSERT INTO job_counts (state, priority, source_name, n)
    VALUES (NEW.state, NEW.priority, NEW.source_name, 1)
    ON CONFLICT (state, priority, source_name) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER job_counts_delete AFTER DELETE ON jobs
BEGIN
    UPDATE job_counts SET n = n - 1
    WHERE state = OLD.state AND priority = OLD.priority AND source_name = OLD.source_name;
END;

-- Finished attempts by source_name, outcome and duration bucket (upper bound in
-- ms, -1 above the last), for /metrics; never decremented (Prometheus counters).
CREATE TABLE attempt_counts (
    source_name TEXT NOT NULL,
    status      TEXT NOT NULL,
    le_ms       INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    sum_ms      INTEGER NOT NULL,
    PRIMARY KEY (source_name, status, le_ms)
);

CREATE TRIGGER attempt_counts_insert AFTER INSERT ON logs
WHEN NEW.type = 'attempt' AND NEW.source_name IS NOT NULL AND NEW.status IS NOT NULL
BEGIN
    INSERT INTO attempt_counts (source_name, status, le_ms, n, sum_ms)
    VALUES (
        NEW.source_name, NEW.status,
        CASE
            WHEN coalesce(NEW.duration_ms, 0) <= 5 THEN 5
            WHEN NEW.duration_ms <= 10 THEN 10
            WHEN NEW.duration_ms <= 25 THEN 25
            WHEN NEW.duration_ms <= 50 THEN 50
            WHEN NEW.duration_ms <= 100 THEN 100
            WHEN NEW.duration_ms <= 250 THEN 250
            WHEN NEW.duration_ms <= 500 THEN 500
            WHEN NEW.duration_ms <= 1000 THEN 1000
            WHEN NEW.duration_ms <= 2500 THEN 2500
            WHEN NEW.duration_ms <= 5000 THEN 5000
            WHEN NEW.duration_ms <= 10000 THEN 10000
            WHEN NEW.duration_ms <= 30000 THEN 30000
            WHEN NEW.duration_ms <= 60000 THEN 60000
            ELSE -1
        END,
        1, coalesce(NEW.duration_ms, 0)
    )
    ON CONFLICT (source_name, status, le_ms) DO UPDATE
    SET n = n + 1, sum_ms = sum_ms + excluded.sum_ms;
END;

INSERT INTO attempt_counts (source_name, status, le_ms, n, sum_ms)
SELECT source_name, status,
       CASE
           WHEN coalesce(duration_ms, 0) <= 5 THEN 5
           WHEN duration_ms <= 10 THEN 10
           WHEN duration_ms <= 25 THEN 25
           WHEN duration_ms <= 50 THEN 50
           WHEN duration_ms <= 100 THEN 100
           WHEN duration_ms <= 250 THEN 250
           WHEN duration_ms <= 500 THEN 500
           WHEN duration_ms <= 1000 THEN 1000
           WHEN duration_ms <= 2500 THEN 2500
           WHEN duration_ms <= 5000 THEN 5000
           WHEN duration_ms <= 10000 THEN 10000
           WHEN duration_ms <= 30000 THEN 30000
           WHEN duration_ms <= 60000 THEN 60000
           ELSE -1
       END AS le,
       count(*), sum(coalesce(duration_ms, 0))
FROM logs
WHERE type = 'attempt' AND source_name IS NOT NULL AND status IS NOT NULL
GROUP BY 1, 2, 3;

-- Attempts per minute, stats over a window, and the log page's time filter.
CREATE INDEX logs_type_at ON logs (type, at);

-- The jobs page filtered by one column, newest first, paged by (created_at, id).
CREATE INDEX jobs_state_created ON jobs (state, created_at, id);
CREATE INDEX jobs_source_created ON jobs (source_name, created_at, id);
