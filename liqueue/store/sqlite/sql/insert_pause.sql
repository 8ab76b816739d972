INSERT INTO pauses (target, priority, source_name, paused_at, paused_by)
VALUES (:target, :priority, :source_name, :paused_at, :paused_by)
ON CONFLICT (target) DO NOTHING
