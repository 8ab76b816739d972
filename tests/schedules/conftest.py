"""Fixtures of the schedule tests: real `liqueue serve` processes, as the web tests start them."""

from tests.web.conftest import serve  # noqa: F401
