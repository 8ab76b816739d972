-- The primary key (schedule_name, tick_at) lets one worker queue each tick: a
-- concurrent insert waits for the first to commit, then does nothing.
INSERT INTO schedule_ticks (schedule_name, tick_at, job_id, queued_at)
VALUES (%(schedule_name)s, %(tick_at)s, %(job_id)s, %(now)s)
ON CONFLICT (schedule_name, tick_at) DO NOTHING
RETURNING job_id
