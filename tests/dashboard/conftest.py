"""Fixtures of the dashboard tests: stores on both backends (as the store tests
have them), applications on disk and real `liqueue serve` processes."""

from __future__ import annotations

# The store tests' backends, and the web tests' servers and browser.
from tests.store.conftest import (  # noqa: F401
    backend,
    open_url,
    postgres_schema_url,
    store,
    store_url,
    unmigrated_url,
)
from tests.web.conftest import serve  # noqa: F401
