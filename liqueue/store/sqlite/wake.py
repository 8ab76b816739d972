"""Cross-process wake-ups for SQLite through Unix datagram sockets.

Each listener binds a socket in a directory beside the database; a commit that
makes jobs due sends one empty datagram to every socket there. An idle worker
thus picks up a job within a millisecond of its enqueue without polling the
file. A socket whose process died refuses the datagram and is removed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import os
import select
import socket
import threading
from pathlib import Path

# sockaddr_un holds 108 bytes; keep a margin for the file name.
_MAX_SOCKET_PATH = 100
_counter = itertools.count(1)


def wake_dir_for(database: Path) -> Path:
    """`<db>.wake/` beside the file, or a short /tmp path when that would be too long.

    Every process computes the same answer from the resolved database path, so
    senders and listeners always meet in the same directory.
    """
    resolved = database.resolve()
    beside = resolved.with_name(resolved.name + ".wake")
    if len(str(beside)) + 24 <= _MAX_SOCKET_PATH:
        return beside
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:16]
    return Path("/tmp") / f"liqueue-wake-{digest}"


class SocketWakeListener:
    """One bound socket; `wait` blocks in poll() until a datagram or the timeout."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = directory / f"{os.getpid()}-{next(_counter)}.sock"
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # left by an earlier process that had our pid
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(str(self.path))
        self._socket.setblocking(False)
        self._poll = select.poll()
        self._poll.register(self._socket, select.POLLIN)

    def wait(self, timeout: float) -> bool:
        if not self._poll.poll(max(0, int(timeout * 1000))):
            return False
        self._drain()
        return True

    def _drain(self) -> None:
        # Many commits may have woken us; one wake-up is enough for all of them.
        with contextlib.suppress(BlockingIOError):
            while True:
                self._socket.recv(16)

    def close(self) -> None:
        if self._socket.fileno() == -1:
            return
        self._socket.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def __enter__(self) -> SocketWakeListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WakeSender:
    """Sends the wake-up datagrams; one unbound socket per store."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()

    def notify(self) -> None:
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return  # nobody has ever listened
        with self._lock:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                self._socket.setblocking(False)
            for name in names:
                if name.endswith(".sock"):
                    self._send(os.path.join(self.directory, name))

    def _send(self, path: str) -> None:
        assert self._socket is not None
        try:
            self._socket.sendto(b"\0", path)
        except OSError as error:
            if error.errno == errno.ECONNREFUSED:
                # Nobody is bound there any more: its process died without closing.
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            # Anything else (ENOENT: closed meanwhile; EAGAIN: its queue is full, so it
            # is woken already) is ignored: the commit is done, and workers also poll.

    def close(self) -> None:
        with self._lock:
            if self._socket is not None:
                self._socket.close()
                self._socket = None
