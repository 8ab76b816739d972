-- Unique jobs raced: two renders both found no holder, both handed their own new
-- id to the page, and the unique index refused the later insert. The refused
-- id is kept here, pointing at the job that holds the key, so every id a render
-- handed out names a real job (`liqueue jobs show <refused id>` shows the holder).
-- Deleted with the holder (prune, delete). No foreign key: a holder deleted by a
-- concurrent prune must not fail the render that lost the race.
CREATE TABLE job_aliases (
    -- C collation, as jobs.id: prefix lookups are byte-order ranges.
    id         text COLLATE "C" PRIMARY KEY,
    job_id     text NOT NULL,
    created_at double precision NOT NULL
);
CREATE INDEX job_aliases_job ON job_aliases (job_id);
