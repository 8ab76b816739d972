-- Windowed stats read few rows however many attempts the store keeps.
--
-- The triggers' deltas move out of attempt_minutes into a table of their own:
-- folding them (compact_attempt_minutes.sql) deleted `WHERE NOT folded` from a
-- table of every minute kept, a scan of all of it whenever the planner's
-- statistics still counted many unfolded rows (~50 ms at 500,000 minutes).
-- attempt_minute_deltas holds only what was appended since the last fold, so
-- emptying it reads little. Workers still only INSERT, never wait on a row.
--
-- attempt_hours rolls the folded minutes up by the hour: stats over a day
-- read 24 rows per source_name and duration bucket instead of 1,440 (a day of
-- minutes is ~17,000 rows at a million attempts a month, up to ~450,000 with
-- every bucket of ten sources busy). Only the fold writes it, under its
-- advisory lock, in the statement that moves deltas into their minutes: a
-- delta is either still in attempt_minute_deltas or in both attempt_minutes
-- and attempt_hours, so a reader (attempt_minutes_window.sql) sums hours, the
-- minutes before the first whole hour and the deltas in one snapshot.
CREATE TABLE attempt_minute_deltas (
    minute      bigint NOT NULL,
    source_name text NOT NULL,
    le_ms       integer NOT NULL,
    n           bigint NOT NULL,
    succeeded   bigint NOT NULL,
    failed      bigint NOT NULL,
    retries     bigint NOT NULL,
    sum_ms      bigint NOT NULL,
    max_ms      bigint NOT NULL
);

INSERT INTO attempt_minute_deltas
    (minute, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms)
SELECT minute, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms
FROM attempt_minutes
WHERE NOT folded;

DELETE FROM attempt_minutes WHERE NOT folded;
DROP INDEX attempt_minutes_unfolded;
DROP INDEX attempt_minutes_folded;
ALTER TABLE attempt_minutes DROP COLUMN folded;
ALTER TABLE attempt_minutes ADD PRIMARY KEY (minute, source_name, le_ms);

CREATE OR REPLACE FUNCTION liqueue_count_attempt_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO attempt_minute_deltas
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

CREATE TABLE attempt_hours (
    hour        bigint NOT NULL,
    source_name text NOT NULL,
    le_ms       integer NOT NULL,
    n           bigint NOT NULL,
    succeeded   bigint NOT NULL,
    failed      bigint NOT NULL,
    retries     bigint NOT NULL,
    sum_ms      bigint NOT NULL,
    max_ms      bigint NOT NULL,
    PRIMARY KEY (hour, source_name, le_ms)
);

INSERT INTO attempt_hours
    (hour, source_name, le_ms, n, succeeded, failed, retries, sum_ms, max_ms)
SELECT minute / 3600 * 3600, source_name, le_ms, sum(n), sum(succeeded), sum(failed),
       sum(retries), sum(sum_ms), max(max_ms)
FROM attempt_minutes
GROUP BY 1, 2, 3;
