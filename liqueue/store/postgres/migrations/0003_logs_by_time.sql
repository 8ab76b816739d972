-- `liqueue logs` prints the whole log in time order, a page at a time: each
-- page walks this index from the last (at, id) shown instead of sorting the table.
CREATE INDEX logs_time ON logs (at, id);
