-- Workers that stopped without removing themselves (killed, machine lost).
DELETE FROM workers WHERE heartbeat_at < %(before)s
