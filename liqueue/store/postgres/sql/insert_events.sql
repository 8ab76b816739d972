INSERT INTO events (id, type, payload, at, valid, errors, origin, context)
SELECT * FROM unnest(
    %b::text[], %b::text[], %b::jsonb[], %b::float8[], %b::boolean[], %b::jsonb[], %b::text[], %b::jsonb[]
)
ON CONFLICT (id) DO NOTHING
