-- Limits hold across machines: a limited claim locks the rows of its sources that
-- have jobs due (in name order, so two claimers never deadlock) until it commits;
-- the next claimer of those sources waits, then counts what this one claimed.
-- A source with nothing due is neither locked nor counted: the plain claim leaves
-- its jobs out anyway, so policies on idle sources cost the others one index probe
-- per source (one per priority: `priority = ANY` walks jobs_claim_source by
-- (source_name, priority, run_at) ranges, not past the source's future jobs).
SELECT source_name FROM source_limits AS limited
WHERE source_name = ANY(%(sources)s)
  AND EXISTS (
      SELECT 1 FROM jobs
      WHERE jobs.source_name = limited.source_name
        AND state IN ('scheduled', 'retry')
        AND priority = ANY(%(priorities)s::smallint[])
        AND run_at <= %(now)s
  )
ORDER BY source_name
FOR UPDATE
