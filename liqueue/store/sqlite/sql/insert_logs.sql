INSERT INTO logs ({log_insert_columns}) VALUES ({log_insert_params})
