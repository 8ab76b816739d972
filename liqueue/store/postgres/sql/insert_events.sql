INSERT INTO events ({event_columns})
SELECT * FROM unnest({event_params})
ON CONFLICT (id) DO NOTHING
