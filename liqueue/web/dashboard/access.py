"""Who may see and steer the queue: credentials, roles, and where the dashboard may listen.

Credentials come from the environment only, never from a file in the
repository: `LIQUEUE_DASHBOARD_TOKEN` (admin) and
`LIQUEUE_DASHBOARD_READONLY_TOKEN`, or the variables `liqueue.yml` names:

    dashboard:
      password: OPS_DASHBOARD_PASSWORD            # admin
      readonly_password: OPS_DASHBOARD_VIEWER     # read-only
      enabled: true                               # false: not mounted by `serve`

A request proves one with HTTP Basic auth (any user name) or
`Authorization: Bearer <token>`. Without any credential the dashboard
answers only over loopback, where everyone is admin.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from liqueue.errors import ConfigError

TOKEN_ENV = "LIQUEUE_DASHBOARD_TOKEN"
READONLY_TOKEN_ENV = "LIQUEUE_DASHBOARD_READONLY_TOKEN"
REALM = "liqueue dashboard"


class Role(StrEnum):
    READ = "read"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        return self is Role.ADMIN or needed is Role.READ


@dataclass(frozen=True)
class Identity:
    who: str
    role: Role


@dataclass(frozen=True)
class Access:
    admin_secret: str | None
    readonly_secret: str | None
    enabled: bool = True

    @property
    def open(self) -> bool:
        """No credential at all: loopback only, everyone admin."""
        return not self.admin_secret and not self.readonly_secret

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], environ: Mapping[str, str] | None = None
    ) -> Access:
        env = os.environ if environ is None else environ
        known = {"password", "readonly_password", "enabled"}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ConfigError(
                f"liqueue.yml: dashboard: unknown setting(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        return cls(
            admin_secret=env.get(TOKEN_ENV) or _named(settings, "password", env),
            readonly_secret=env.get(READONLY_TOKEN_ENV)
            or _named(settings, "readonly_password", env),
            enabled=bool(settings.get("enabled", True)),
        )

    def identify(self, authorization: str | None, client_host: str | None) -> Identity | None:
        """The identity a request proves, or None (answer 401)."""
        if self.open:
            return (
                Identity(client_host or "local", Role.ADMIN) if is_loopback(client_host) else None
            )
        user, secret = _credential(authorization)
        if secret is None:
            return None
        if self.admin_secret and hmac.compare_digest(secret, self.admin_secret):
            return Identity(user or "admin", Role.ADMIN)
        if self.readonly_secret and hmac.compare_digest(secret, self.readonly_secret):
            return Identity(user or "viewer", Role.READ)
        return None

    def check_bind(self, host: str) -> None:
        """Refuse to listen beyond loopback without a credential."""
        if self.enabled and self.open and not is_loopback(host):
            raise ConfigError(
                f"the dashboard would listen on {host} without a credential: set "
                f"{TOKEN_ENV} (or name an environment variable in liqueue.yml "
                "dashboard: password:), listen on 127.0.0.1, or set dashboard: enabled: false"
            )


def _named(settings: Mapping[str, Any], key: str, env: Mapping[str, str]) -> str | None:
    variable = settings.get(key)
    if variable is None:
        return None
    if not isinstance(variable, str) or not variable.isidentifier():
        raise ConfigError(
            f"liqueue.yml: dashboard: {key} names an environment variable "
            f"(like OPS_DASHBOARD_PASSWORD), not {variable!r}"
        )
    value = env.get(variable)
    if not value:
        raise ConfigError(
            f"liqueue.yml: dashboard: {key} names ${variable}, which is not set in the environment"
        )
    return value


def _credential(authorization: str | None) -> tuple[str | None, str | None]:
    if not authorization:
        return None, None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return None, value.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        user, _, password = decoded.partition(":")
        return user or None, password or None
    return None, None


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
