CREATE TABLE IF NOT EXISTS liqueue_schema (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at REAL NOT NULL
)
