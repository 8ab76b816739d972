INSERT INTO events (id, type, payload, at, valid, errors, origin)
SELECT * FROM unnest(
    %b::text[], %b::text[], %b::jsonb[], %b::float8[], %b::boolean[], %b::jsonb[], %b::text[]
)
ON CONFLICT (id) DO NOTHING
