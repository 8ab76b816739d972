-- The lines arrive as one jsonb array of objects keyed by column (store.py, json_batch).
INSERT INTO logs ({log_insert_columns})
SELECT {log_insert_columns} FROM jsonb_to_recordset(%(logs)s::jsonb) AS line ({log_insert_record})
