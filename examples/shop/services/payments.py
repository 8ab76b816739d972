"""The example shop's payment and integration service: a real HTTP server on 127.0.0.1.

    python services/payments.py --port 8765

`liqueue demo examples/shop` starts it (see `services:` in liqueue.yml) and
stops it afterwards. State lives in memory, so every start is a fresh one.

- `POST /flaky/<name>?failures=2`: answers 503 (with `Retry-After: 1`) to the
  first `failures` calls for `<name>`, then 200.
- `POST /charges` with an `Idempotency-Key` header and `{"order_id", "amount"}`:
  charges once per key; a repeated key gets the first charge back
  (`"replayed": true`) instead of a second charge.
- `GET /charges`: every charge made.
- `POST /reservations`, `DELETE /reservations/<id>`, `GET /reservations`:
  stock held by an operation, and released by its cleanup.
- `GET /health`: 200 once the service is up.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

lock = threading.Lock()
calls: dict[str, int] = {}
charges: dict[str, dict[str, Any]] = {}  # idempotency key -> charge
reservations: dict[str, dict[str, Any]] = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/health":
            self.reply(200, {"ok": True})
        elif path == "/charges":
            with lock:
                self.reply(200, list(charges.values()))
        elif path == "/reservations":
            with lock:
                self.reply(200, list(reservations.values()))
        else:
            self.reply(404, {"error": f"no route {path}"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self.read_json()
        if url.path.startswith("/flaky/"):
            self.flaky(url.path.removeprefix("/flaky/"), parse_qs(url.query))
        elif url.path == "/charges":
            self.charge(body)
        elif url.path == "/reservations":
            with lock:
                reservation = {"id": f"res_{len(reservations) + 1}", **body}
                reservations[reservation["id"]] = reservation
            self.reply(201, reservation)
        else:
            self.reply(404, {"error": f"no route {url.path}"})

    def do_DELETE(self) -> None:
        path = urlsplit(self.path).path
        with lock:
            released = reservations.pop(path.removeprefix("/reservations/"), None)
        if released is None:
            self.reply(404, {"error": f"no reservation at {path}"})
        else:
            self.reply(200, {"released": released["id"]})

    def flaky(self, name: str, query: dict[str, list[str]]) -> None:
        failures = int(query.get("failures", ["2"])[0])
        with lock:
            calls[name] = count = calls.get(name, 0) + 1
        if count <= failures:
            message = f"flaky service unavailable (call {count} of {name})"
            self.reply(503, {"error": message}, {"Retry-After": "1"})
        else:
            self.reply(200, {"ok": True, "name": name, "call": count})

    def charge(self, body: dict[str, Any]) -> None:
        key = self.headers.get("Idempotency-Key")
        if not key:
            self.reply(400, {"error": "an Idempotency-Key header is required"})
            return
        with lock:
            existing = charges.get(key)
            if existing is None:
                charges[key] = {"id": f"ch_{len(charges) + 1}", "key": key, **body}
        if existing is not None:
            self.reply(200, {**existing, "replayed": True})
        else:
            self.reply(201, {**charges[key], "replayed": False})

    def read_json(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        if not length:
            return {}
        try:
            value = json.loads(self.rfile.read(length))
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def reply(self, status: int, value: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, text in (headers or {}).items():
            self.send_header(name, text)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the shop's log is liqueue's


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"payments service on http://127.0.0.1:{args.port}", file=sys.stderr, flush=True)
    server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main()
