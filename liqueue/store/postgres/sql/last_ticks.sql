-- The newest tick of each schedule with its job's outcome (NULL once pruned).
SELECT t.schedule_name, t.tick_at, t.job_id, j.state, j.finished_at, j.error_message
FROM schedule_ticks AS t
JOIN (
    SELECT schedule_name, max(tick_at) AS tick_at FROM schedule_ticks GROUP BY schedule_name
) AS newest ON newest.schedule_name = t.schedule_name AND newest.tick_at = t.tick_at
LEFT JOIN jobs AS j ON j.id = t.job_id
