INSERT INTO pauses (target, priority, source_name, paused_at, paused_by)
VALUES (%(target)s, %(priority)s, %(source_name)s, %(paused_at)s, %(paused_by)s)
ON CONFLICT (target) DO NOTHING
