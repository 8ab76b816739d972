"""`services:` of liqueue.yml: started, awaited and stopped by `running_services`."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from liqueue.config import AppConfig
from liqueue.errors import ConfigError
from liqueue.services import running_services


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _config(root: Path, text: str) -> AppConfig:
    (root / "liqueue.yml").write_text(text)
    return AppConfig.load(root)


def test_a_service_runs_for_the_block_and_is_stopped_after(tmp_path: Path) -> None:
    port = _free_port()
    (tmp_path / "hello.txt").write_text("served from the app directory")
    config = _config(
        tmp_path,
        "services:\n  - name: files\n"
        f"    command: '{{python}} -m http.server --bind 127.0.0.1 {port}'\n"
        f"    ready: http://127.0.0.1:{port}/hello.txt\n",
    )
    with running_services(tmp_path, config.services) as running:
        (service,) = running
        answer = httpx.get(f"http://127.0.0.1:{port}/hello.txt", trust_env=False)
        assert answer.text == "served from the app directory"
    assert service.process.poll() is not None
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/hello.txt", trust_env=False)


def test_services_are_stopped_when_the_block_fails(tmp_path: Path) -> None:
    port = _free_port()
    config = _config(
        tmp_path,
        "services:\n  - name: files\n"
        f"    command: ['{{python}}', '-m', 'http.server', '--bind', '127.0.0.1', '{port}']\n"
        f"    ready: http://127.0.0.1:{port}/\n",
    )
    with pytest.raises(RuntimeError), running_services(tmp_path, config.services) as running:
        raise RuntimeError("the worker broke")
    assert running[0].process.poll() is not None


def test_a_service_that_exits_while_starting_is_an_error(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        "services:\n  - name: broken\n    command: \"{python} -c 'raise SystemExit(3)'\"\n"
        "    ready: http://127.0.0.1:9/\n",
    )
    with (
        pytest.raises(ConfigError, match="service broken exited with code 3 while starting"),
        running_services(tmp_path, config.services),
    ):
        pass


def test_bad_service_settings_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"services\[0\] needs a name and a command"):
        _config(tmp_path, "services:\n  - name: x\n")
