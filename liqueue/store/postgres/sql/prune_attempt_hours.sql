-- Hours that start before the minutes kept: wholly pruned, or the one the
-- boundary falls in, summed again from its minutes left (sum_pruned_hour.sql).
DELETE FROM attempt_hours WHERE hour < (ceil(%(before)s::float8))::bigint
