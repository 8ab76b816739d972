SELECT source_name, count(*) FROM logs WHERE type = 'unique' GROUP BY source_name
