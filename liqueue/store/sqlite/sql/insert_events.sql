INSERT INTO events ({event_columns}) VALUES ({event_params})
ON CONFLICT (id) DO NOTHING
