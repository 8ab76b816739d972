"""liqueue: durable background jobs and events for Liquid applications."""

from liqueue.app import App
from liqueue.clock import ManualClock, SystemClock
from liqueue.errors import JobFailed, JobOptionError, LiqueueError, Location, TemplateError

__all__ = [
    "App",
    "JobFailed",
    "JobOptionError",
    "LiqueueError",
    "Location",
    "ManualClock",
    "SystemClock",
    "TemplateError",
]
__version__ = "0.1.0"
