-- The primary key (schedule_name, tick_at) lets one worker queue each tick; the
-- others' inserts do nothing, and they queue no job.
INSERT INTO schedule_ticks (schedule_name, tick_at, job_id, queued_at)
VALUES (:schedule_name, :tick_at, :job_id, :now)
ON CONFLICT (schedule_name, tick_at) DO NOTHING
