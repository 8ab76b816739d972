-- One min() per priority so each is a single probe of jobs_claim.
SELECT min(soonest) FROM (
    SELECT min(run_at) AS soonest FROM jobs WHERE state IN ('scheduled', 'retry') AND priority = 0
    UNION ALL
    SELECT min(run_at) FROM jobs WHERE state IN ('scheduled', 'retry') AND priority = 1
    UNION ALL
    SELECT min(run_at) FROM jobs WHERE state IN ('scheduled', 'retry') AND priority = 2
) AS per_priority
