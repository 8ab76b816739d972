"""The key that signs session cookies: `LIQUEUE_SECRET_KEY`, or one generated per app.

A generated key lives in the app's state directory (`.liqueue/secret_key`),
so sessions survive restarts and every server process of the app agrees.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_ENV = "LIQUEUE_SECRET_KEY"
SECRET_FILE = "secret_key"


def secret_key(state_dir: Path) -> str:
    from_env = os.environ.get(SECRET_ENV, "").strip()
    if from_env:
        return from_env
    path = state_dir / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    state_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    try:
        # O_EXCL: when several server processes start at once, one key wins.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key
