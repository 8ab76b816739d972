CREATE TABLE IF NOT EXISTS liqueue_schema (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at double precision NOT NULL
)
