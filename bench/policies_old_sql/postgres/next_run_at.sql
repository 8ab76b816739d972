-- Per priority, the first due job in jobs_claim order that no pause holds back:
-- a single probe of the index unless paused jobs stand at its head.
SELECT min(soonest) FROM (
    SELECT * FROM (
        SELECT run_at AS soonest FROM jobs
        WHERE state IN ('scheduled', 'retry') AND priority = 0
          AND NOT EXISTS (SELECT 1 FROM pauses WHERE pauses.priority = 0)
          AND source_name NOT IN (SELECT source_name FROM pauses WHERE source_name IS NOT NULL)
        ORDER BY priority, run_at
        LIMIT 1
    ) AS p0
    UNION ALL
    SELECT * FROM (
        SELECT run_at AS soonest FROM jobs
        WHERE state IN ('scheduled', 'retry') AND priority = 1
          AND NOT EXISTS (SELECT 1 FROM pauses WHERE pauses.priority = 1)
          AND source_name NOT IN (SELECT source_name FROM pauses WHERE source_name IS NOT NULL)
        ORDER BY priority, run_at
        LIMIT 1
    ) AS p1
    UNION ALL
    SELECT * FROM (
        SELECT run_at AS soonest FROM jobs
        WHERE state IN ('scheduled', 'retry') AND priority = 2
          AND NOT EXISTS (SELECT 1 FROM pauses WHERE pauses.priority = 2)
          AND source_name NOT IN (SELECT source_name FROM pauses WHERE source_name IS NOT NULL)
        ORDER BY priority, run_at
        LIMIT 1
    ) AS p2
) AS per_priority
