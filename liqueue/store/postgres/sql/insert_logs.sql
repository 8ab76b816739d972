-- The lines arrive as one jsonb array of rows, each an array in column order (batches.py).
INSERT INTO logs ({log_insert_columns})
SELECT {log_insert_from_json} FROM jsonb_array_elements(%(logs)s::jsonb) AS r
