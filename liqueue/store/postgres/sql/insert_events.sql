-- The events arrive as one jsonb array of rows, each an array in column order (batches.py).
INSERT INTO events ({event_columns})
SELECT {event_from_json} FROM jsonb_array_elements(%(events)s::jsonb) AS r
ON CONFLICT (id) DO NOTHING
