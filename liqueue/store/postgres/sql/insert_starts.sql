INSERT INTO limit_starts (source_name, started_at)
SELECT %(source_name)s, %(now)s FROM generate_series(1, %(count)s)
