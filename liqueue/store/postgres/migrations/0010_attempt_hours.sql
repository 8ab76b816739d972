-- attempt_minutes rolled up by the hour: stats over a day read 24 rows per
-- source_name and duration bucket instead of 1,440 (a day of minutes is
-- ~33,000 rows at a million attempts a month, up to ~450,000 with every bucket
-- of ten sources busy). Only compact_attempt_minutes.sql writes here, under its
-- advisory lock, in the transaction that folds the deltas into their minutes:
-- a delta is either still unfolded or in both tables, never in one of them
-- only, so a reader (attempt_minutes_window.sql) sums hours, the minutes
-- before the first whole hour and the unfolded deltas in one snapshot.
-- Workers never touch it (their triggers only append to attempt_minutes).
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
WHERE folded
GROUP BY 1, 2, 3;
