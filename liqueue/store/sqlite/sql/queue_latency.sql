-- Per priority, the run_at of the oldest due job: one probe of jobs_claim each.
SELECT 0, (SELECT min(run_at) FROM jobs WHERE state IN ('scheduled', 'retry') AND priority = 0 AND run_at <= :now)
UNION ALL
SELECT 1, (SELECT min(run_at) FROM jobs WHERE state IN ('scheduled', 'retry') AND priority = 1 AND run_at <= :now)
UNION ALL
SELECT 2, (SELECT min(run_at) FROM jobs WHERE state IN ('scheduled', 'retry') AND priority = 2 AND run_at <= :now)
