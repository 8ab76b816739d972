INSERT INTO logs ({log_insert_columns})
SELECT * FROM unnest({log_insert_params})
