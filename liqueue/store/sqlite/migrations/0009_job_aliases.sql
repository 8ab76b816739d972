-- Unique jobs raced: two renders both found no holder, both handed their own new
-- id to the page, and the unique index refused the later insert. The refused
-- id is kept here, pointing at the job that holds the key, so every id a render
-- handed out names a real job (`liqueue jobs show <refused id>` shows the holder).
-- Deleted with the holder (prune, delete).
CREATE TABLE job_aliases (
    id         TEXT PRIMARY KEY,
    job_id     TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX job_aliases_job ON job_aliases (job_id);
