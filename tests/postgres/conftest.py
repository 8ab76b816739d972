"""PostgreSQL-only tests run on fresh databases of the real server (`fresh_database`,
`pg_url`) with real worker processes (`start_worker`): fixtures of tests/conftest.py."""
