INSERT INTO events (id, type, payload, at, valid, errors, origin)
SELECT * FROM unnest(
    %s::text[], %s::text[], %s::jsonb[], %s::float8[], %s::boolean[], %s::jsonb[], %s::text[]
)
ON CONFLICT (id) DO NOTHING
