SELECT count(*) FROM jobs WHERE state = 'running' AND source_name = :source_name
