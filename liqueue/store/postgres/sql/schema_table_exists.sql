SELECT to_regclass('liqueue_schema') IS NOT NULL
