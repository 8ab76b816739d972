-- `liqueue logs --source-name X` shows one source's newest entries in time
-- order: this index finds them without reading every other source's entries.
CREATE INDEX logs_source_time ON logs (source_name, at, id);
