-- Limits hold across machines: a limited claim locks its sources' rows (in name
-- order, so two claimers never deadlock) until it commits; the next claimer of
-- those sources waits, then counts what this one claimed.
SELECT source_name FROM source_limits
WHERE source_name = ANY(%(sources)s)
ORDER BY source_name
FOR UPDATE
