-- Lines inserted after this in the same write are the ones count_attempts reads.
SELECT coalesce(max(id), 0) FROM logs
