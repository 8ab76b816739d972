"""Services an application runs beside its worker while you try it: `services:` in liqueue.yml.

    services:
      - name: payments
        command: "{python} services/payments.py --port 8765"   # run in the app's directory
        ready: http://127.0.0.1:8765/health                    # polled until it answers

`{python}` is the interpreter running liqueue. `running_services(root,
specs)` starts every service, waits until each is ready, and stops them all
when its block ends (also on errors and Ctrl-C): `liqueue demo` and
`liqueue serve --with-worker` run the worker inside it.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from liqueue.errors import ConfigError
from liqueue.lifeline import end_with_parent

READY_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    command: tuple[str, ...]
    ready: str | None = None  # a URL answering once the service is up
    environment: dict[str, str] = field(default_factory=dict)


def parse_services(raw: object) -> tuple[ServiceSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError("services must be a list of {name, command, ready}")
    specs: list[ServiceSpec] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not item.get("name") or not item.get("command"):
            raise ValueError(f"services[{index}] needs a name and a command")
        unknown = sorted(set(item) - {"name", "command", "ready", "environment"})
        if unknown:
            raise ValueError(f"services[{index}]: unknown key(s) {', '.join(unknown)}")
        command = item["command"]
        parts = shlex.split(command) if isinstance(command, str) else [str(c) for c in command]
        environment = item.get("environment") or {}
        if not isinstance(environment, dict):
            raise ValueError(f"services[{index}].environment must be a mapping")
        specs.append(
            ServiceSpec(
                name=str(item["name"]),
                command=tuple(parts),
                ready=str(item["ready"]) if item.get("ready") else None,
                environment={str(k): str(v) for k, v in environment.items()},
            )
        )
    return tuple(specs)


@dataclass
class RunningService:
    spec: ServiceSpec
    command: tuple[str, ...]  # as started: `{python}` expanded
    process: subprocess.Popen[bytes]


@contextlib.contextmanager
def running_services(
    root: Path, specs: Sequence[ServiceSpec], *, ready_timeout: float = READY_TIMEOUT
) -> Iterator[list[RunningService]]:
    """Start `specs` in `root`, wait until each is ready, and stop them all afterwards."""
    running: list[RunningService] = []
    try:
        for spec in specs:
            running.append(_start(root, spec))
        for service in running:
            _wait_ready(service, ready_timeout)
        yield running
    finally:
        for service in reversed(running):
            _stop(service)


def _start(root: Path, spec: ServiceSpec) -> RunningService:
    command = tuple(part.replace("{python}", sys.executable) for part in spec.command)
    try:
        process = subprocess.Popen(
            command,
            cwd=root,
            env={**os.environ, **spec.environment},
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C goes to liqueue, which stops the service itself
            preexec_fn=end_with_parent,  # and if liqueue is killed, the service goes too
        )
    except OSError as err:
        raise ConfigError(
            f"service {spec.name}: cannot start {shlex.join(command)}: {err}"
        ) from None
    return RunningService(spec, command, process)


def _wait_ready(service: RunningService, timeout: float) -> None:
    if service.spec.ready is None:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = service.process.poll()
        if code is not None:
            raise ConfigError(f"service {service.spec.name} exited with code {code} while starting")
        try:
            httpx.get(service.spec.ready, timeout=1.0, trust_env=False)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise ConfigError(
        f"service {service.spec.name} did not answer {service.spec.ready} within {timeout:g} s"
    )


def _stop(service: RunningService) -> None:
    process = service.process
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
