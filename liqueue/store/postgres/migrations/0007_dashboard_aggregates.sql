-- Finished attempts per minute, source_name and duration bucket, kept as attempt
-- lines are written: the overview's chart and stats over a window read a few
-- thousand rows instead of every attempt line of the window, and p50/p95 come
-- from the buckets. le_ms is a bucket's upper bound in ms (overview.py's
-- MINUTE_BUCKETS_MS), -1 above the last, 0 for attempts without a duration.
-- Counted like attempt_counts: attempts whose status is SUCCESS in succeeded,
-- FAILED in failed; retries are attempts beyond a job's first.
-- Appended deltas like attempt_counts, so concurrent workers never wait on a
-- row; readers fold unfolded deltas into one folded row per key
-- (compact_attempt_minutes.sql) and sum whatever is there.
CREATE TABLE attempt_minutes (
    minute      bigint NOT NULL,
    source_name text NOT NULL,
    le_ms       integer NOT NULL,
    n           bigint NOT NULL,
    succeeded   bigint NOT NULL,
    failed      bigint NOT NULL,
    retries     bigint NOT NULL,
    sum_ms      bigint NOT NULL,
    max_ms      bigint NOT NULL,
    folded      boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX attempt_minutes_folded ON attempt_minutes (minute, source_name, le_ms)
WHERE folded;
CREATE INDEX attempt_minutes_unfolded ON attempt_minutes (minute) WHERE NOT folded;

CREATE FUNCTION liqueue_minute_bucket_ms(ms integer) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN ms IS NULL THEN 0 ELSE coalesce(
        (SELECT b FROM unnest(ARRAY[1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10000, 15000, 20000, 30000, 60000, 120000, 300000]) AS b
         WHERE ms <= b ORDER BY b LIMIT 1),
        -1) END
$$;

INSERT INTO attempt_minutes
    (minute, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms, folded)
SELECT (floor(at / 60) * 60)::bigint, source_name, liqueue_minute_bucket_ms(duration_ms),
       count(*), count(*) FILTER (WHERE status = 'SUCCESS'),
       count(*) FILTER (WHERE status = 'FAILED'),
       count(*) FILTER (WHERE coalesce(attempt, 1) > 1), coalesce(sum(duration_ms), 0),
       coalesce(max(duration_ms), 0), true
FROM logs
WHERE type = 'attempt' AND source_name IS NOT NULL AND status IS NOT NULL
GROUP BY 1, 2, 3;

CREATE FUNCTION liqueue_count_attempt_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO attempt_minutes
        (minute, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms)
    SELECT (floor(at / 60) * 60)::bigint, source_name, liqueue_minute_bucket_ms(duration_ms),
           count(*), count(*) FILTER (WHERE status = 'SUCCESS'),
           count(*) FILTER (WHERE status = 'FAILED'),
           count(*) FILTER (WHERE coalesce(attempt, 1) > 1), coalesce(sum(duration_ms), 0),
           coalesce(max(duration_ms), 0)
    FROM new_rows
    WHERE type = 'attempt' AND source_name IS NOT NULL AND status IS NOT NULL
    GROUP BY 1, 2, 3;
    RETURN NULL;
END
$$;

CREATE TRIGGER attempt_minutes_insert AFTER INSERT ON logs
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION liqueue_count_attempt_minutes();

-- The job that queued a job or published an event (its body's outbox); a
-- consumer job's parent is its event (event_id), so it has none here.
ALTER TABLE jobs ADD COLUMN parent_job_id text COLLATE "C";
ALTER TABLE events ADD COLUMN parent_job_id text COLLATE "C";
CREATE INDEX jobs_parent ON jobs (parent_job_id) WHERE parent_job_id IS NOT NULL;
CREATE INDEX events_parent ON events (parent_job_id) WHERE parent_job_id IS NOT NULL;
