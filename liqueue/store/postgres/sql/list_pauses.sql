SELECT target, priority, source_name, paused_at, paused_by FROM pauses ORDER BY paused_at, target
