-- Two `liqueue migrate` at once: the second waits, then finds nothing to do.
SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || '.liqueue_schema'))
