-- `jobs list` shows the newest jobs first: walk this index backwards and stop at
-- the limit instead of sorting the whole table.
CREATE INDEX jobs_created ON jobs (created_at, id);
