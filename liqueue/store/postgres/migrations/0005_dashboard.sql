-- What the dashboard, the JSON API and /metrics read without scanning jobs or logs.

-- Live workers: each registers, heartbeats and removes itself (worker/registry.py).
CREATE TABLE workers (
    id           text PRIMARY KEY,
    host         text NOT NULL,
    pid          integer NOT NULL,
    started_at   double precision NOT NULL,
    heartbeat_at double precision NOT NULL,
    running      integer NOT NULL DEFAULT 0
);

-- Paused priorities and source_names: claims skip their jobs, which wait.
-- Exactly one of priority (its rank) and source_name is set.
CREATE TABLE pauses (
    target      text PRIMARY KEY,
    priority    smallint,
    source_name text,
    paused_at   double precision NOT NULL,
    paused_by   text
);

-- Jobs by state, priority and source_name as appended deltas: statement
-- triggers only INSERT, so concurrent workers never wait on a counter row;
-- readers fold the deltas together now and then (job_counts_compact.sql).
CREATE TABLE job_counts (
    state       text NOT NULL,
    priority    smallint NOT NULL,
    source_name text NOT NULL,
    n           bigint NOT NULL
);

INSERT INTO job_counts (state, priority, source_name, n)
SELECT state, priority, source_name, count(*) FROM jobs GROUP BY state, priority, source_name;

CREATE FUNCTION liqueue_count_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO job_counts (state, priority, source_name, n)
        SELECT state, priority, source_name, count(*) FROM new_rows GROUP BY 1, 2, 3;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO job_counts (state, priority, source_name, n)
        SELECT state, priority, source_name, -count(*) FROM old_rows GROUP BY 1, 2, 3;
    ELSE
        INSERT INTO job_counts (state, priority, source_name, n)
        SELECT state, priority, source_name, sum(n) FROM (
            SELECT state, priority, source_name, 1 AS n FROM new_rows
            UNION ALL
            SELECT state, priority, source_name, -1 AS n FROM old_rows
        ) AS changes
        GROUP BY 1, 2, 3
        HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER job_counts_insert AFTER INSERT ON jobs
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION liqueue_count_jobs();

CREATE TRIGGER job_counts_update AFTER UPDATE ON jobs
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION liqueue_count_jobs();

CREATE TRIGGER job_counts_delete AFTER DELETE ON jobs
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION liqueue_count_jobs();

-- The histogram bucket of an attempt: its upper bound in ms, -1 above the last.
CREATE FUNCTION liqueue_bucket_ms(ms integer) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(
        (SELECT b FROM unnest(ARRAY[5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000,
                                    30000, 60000]) AS b
         WHERE coalesce(ms, 0) <= b ORDER BY b LIMIT 1),
        -1)
$$;

-- Finished attempts by source_name, outcome and duration bucket, for /metrics;
-- appended deltas like job_counts, never decremented (Prometheus counters).
CREATE TABLE attempt_counts (
    source_name text NOT NULL,
    status      text NOT NULL,
    le_ms       integer NOT NULL,
    n           bigint NOT NULL,
    sum_ms      bigint NOT NULL
);

INSERT INTO attempt_counts (source_name, status, le_ms, n, sum_ms)
SELECT source_name, status, liqueue_bucket_ms(duration_ms), count(*), sum(coalesce(duration_ms, 0))
FROM logs
WHERE type = 'attempt' AND source_name IS NOT NULL AND status IS NOT NULL
GROUP BY 1, 2, 3;

CREATE FUNCTION liqueue_count_attempts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO attempt_counts (source_name, status, le_ms, n, sum_ms)
    SELECT source_name, status, liqueue_bucket_ms(duration_ms), count(*),
           sum(coalesce(duration_ms, 0))
    FROM new_rows
    WHERE type = 'attempt' AND source_name IS NOT NULL AND status IS NOT NULL
    GROUP BY 1, 2, 3;
    RETURN NULL;
END
$$;

CREATE TRIGGER attempt_counts_insert AFTER INSERT ON logs
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION liqueue_count_attempts();

-- Attempts per minute, stats over a window, and the log page's time filter.
CREATE INDEX logs_type_at ON logs (type, at);

-- The jobs page filtered by one column, newest first, paged by (created_at, id).
CREATE INDEX jobs_state_created ON jobs (state, created_at, id);
CREATE INDEX jobs_source_created ON jobs (source_name, created_at, id);
