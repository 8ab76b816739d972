-- Times are double precision seconds since the Unix epoch, as the Store contract
-- passes them. Priority is 0 high, 1 default, 2 low so claims can order by it.

CREATE TABLE jobs (
    -- C collation: prefix lookups are byte-order ranges on the primary key.
    id             text COLLATE "C" PRIMARY KEY,
    state          text NOT NULL,
    priority       smallint NOT NULL,
    source_name    text NOT NULL,
    body           text,
    partial        text,
    arguments      jsonb NOT NULL DEFAULT '{}',
    context        jsonb NOT NULL DEFAULT '{}',
    origin_path    text NOT NULL,
    origin_line    integer NOT NULL DEFAULT 0,
    origin_column  integer NOT NULL DEFAULT 0,
    max_attempts   integer NOT NULL,
    attempt        integer NOT NULL DEFAULT 0,
    rescues        integer NOT NULL DEFAULT 0,
    run_at         double precision NOT NULL,
    created_at     double precision NOT NULL,
    started_at     double precision,
    finished_at    double precision,
    lease_until    double precision,
    worker_id      text,
    error_class    text,
    error_message  text,
    error_location text,
    event_id       text
);

-- Exactly the claim's WHERE and ORDER BY: the claim walks this index and stops at LIMIT.
CREATE INDEX jobs_claim ON jobs (priority, run_at) WHERE state IN ('scheduled', 'retry');

-- Only running jobs hold leases; rescue scans this small index.
CREATE INDEX jobs_lease ON jobs (lease_until) WHERE state = 'running';

-- Pruning and listing by state.
CREATE INDEX jobs_state ON jobs (state, finished_at);

CREATE INDEX jobs_event ON jobs (event_id) WHERE event_id IS NOT NULL;

CREATE TABLE logs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           double precision NOT NULL,
    type         text NOT NULL,
    message      text NOT NULL,
    job_id       text,
    source_name  text,
    attempt      integer,
    max_attempts integer,
    status       text,
    duration_ms  integer,
    location     text,
    event_id     text
);

CREATE INDEX logs_source ON logs (source_name, id);
CREATE INDEX logs_job ON logs (job_id) WHERE job_id IS NOT NULL;

CREATE TABLE events (
    id      text PRIMARY KEY,
    type    text NOT NULL,
    payload jsonb NOT NULL,
    at      double precision NOT NULL,
    valid   boolean NOT NULL,
    errors  jsonb NOT NULL DEFAULT '[]',
    origin  text
);

CREATE INDEX events_type ON events (type, at);
CREATE INDEX events_at ON events (at);
