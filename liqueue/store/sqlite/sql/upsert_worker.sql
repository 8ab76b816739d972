INSERT INTO workers (id, host, pid, started_at, heartbeat_at, running)
VALUES (:id, :host, :pid, :started_at, :heartbeat_at, :running)
ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, running = excluded.running
