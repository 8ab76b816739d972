INSERT INTO source_limits (source_name)
SELECT unnest(%(sources)s::text[])
ON CONFLICT (source_name) DO NOTHING
