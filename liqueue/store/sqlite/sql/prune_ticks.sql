-- Old ticks go, but each schedule keeps its newest: it says where the schedule is.
DELETE FROM schedule_ticks
WHERE tick_at < :before
  AND tick_at < (
      SELECT max(newest.tick_at) FROM schedule_ticks AS newest
      WHERE newest.schedule_name = schedule_ticks.schedule_name
  )
