-- Times are REAL seconds since the Unix epoch, as the Store contract passes them.
-- Priority is 0 high, 1 default, 2 low so claims can order and index by it.

CREATE TABLE jobs (
    id             TEXT PRIMARY KEY,
    state          TEXT NOT NULL,
    priority       INTEGER NOT NULL,
    source_name    TEXT NOT NULL,
    body           TEXT,
    partial        TEXT,
    arguments      TEXT NOT NULL DEFAULT '{}',
    context        TEXT NOT NULL DEFAULT '{}',
    origin_path    TEXT NOT NULL,
    origin_line    INTEGER NOT NULL DEFAULT 0,
    origin_column  INTEGER NOT NULL DEFAULT 0,
    max_attempts   INTEGER NOT NULL,
    attempt        INTEGER NOT NULL DEFAULT 0,
    rescues        INTEGER NOT NULL DEFAULT 0,
    run_at         REAL NOT NULL,
    created_at     REAL NOT NULL,
    started_at     REAL,
    finished_at    REAL,
    lease_until    REAL,
    worker_id      TEXT,
    error_class    TEXT,
    error_message  TEXT,
    error_location TEXT,
    event_id       TEXT
);

-- Exactly the claim's WHERE and ORDER BY: the claim walks this index and stops at LIMIT.
CREATE INDEX jobs_claim ON jobs (priority, run_at) WHERE state IN ('scheduled', 'retry');

-- Only running jobs hold leases; rescue scans this small index.
CREATE INDEX jobs_lease ON jobs (lease_until) WHERE state = 'running';

-- Pruning and listing by state.
CREATE INDEX jobs_state ON jobs (state, finished_at);

CREATE INDEX jobs_event ON jobs (event_id) WHERE event_id IS NOT NULL;

CREATE TABLE logs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           REAL NOT NULL,
    type         TEXT NOT NULL,
    message      TEXT NOT NULL,
    job_id       TEXT,
    source_name  TEXT,
    attempt      INTEGER,
    max_attempts INTEGER,
    status       TEXT,
    duration_ms  INTEGER,
    location     TEXT,
    event_id     TEXT
);

CREATE INDEX logs_source ON logs (source_name, id);
CREATE INDEX logs_job ON logs (job_id) WHERE job_id IS NOT NULL;

CREATE TABLE events (
    id      TEXT PRIMARY KEY,
    type    TEXT NOT NULL,
    payload TEXT NOT NULL,
    at      REAL NOT NULL,
    valid   INTEGER NOT NULL,
    errors  TEXT NOT NULL DEFAULT '[]',
    origin  TEXT
);

CREATE INDEX events_type ON events (type, at);
CREATE INDEX events_at ON events (at);
