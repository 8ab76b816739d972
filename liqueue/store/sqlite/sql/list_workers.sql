SELECT id, host, pid, started_at, heartbeat_at, running FROM workers ORDER BY started_at, id
