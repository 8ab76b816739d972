"""`uuid`: a fresh random identifier, as platformOS's `'' | uuid`."""

from __future__ import annotations

import uuid as _uuid


def uuid(_ignored: object = None, _dummy: object = None) -> str:
    """Return a random UUID v4 string; the input and the optional argument are ignored."""
    return str(_uuid.uuid4())
