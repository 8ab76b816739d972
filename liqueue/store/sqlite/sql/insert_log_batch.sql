-- insert_logs for a whole batch in one statement: :entries is a JSON array of
-- `columns.LOG_INSERT` arrays, inserted (and numbered) in their order. About
-- half of SQLite's time per line against one statement each (the triggers
-- counting attempt lines run either way).
INSERT INTO logs ({log_insert_columns})
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
       value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10
FROM json_each(:entries)
ORDER BY key
