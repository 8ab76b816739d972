DELETE FROM pauses WHERE target = :target
