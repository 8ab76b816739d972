"""Secrets: values templates read as `context.secrets.NAME`, taken from the environment.

`liqueue.yml` names them, never holds them:

    secrets:
      STRIPE_KEY: STRIPE_SECRET_KEY   # context.secrets.STRIPE_KEY = $STRIPE_SECRET_KEY
      - or a list, when the variable has the secret's name: [STRIPE_KEY]

A secret reaches a render only at run time, from the environment of the
process rendering (a page's server, a job's worker): it is never part of a
job's stored context or arguments, and every log line, error message and
`jobs show` output has its value replaced by `[secret NAME]`.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Masking a one- or two-character value would garble every message.
_MIN_MASKED_LENGTH = 3

T = TypeVar("T")


def parse_secret_names(raw: object) -> dict[str, str]:
    """`secrets:` of liqueue.yml as {template name: environment variable}."""
    if raw is None:
        return {}
    if isinstance(raw, list):
        raw = {name: name for name in raw}
    if not isinstance(raw, dict):
        raise ValueError("secrets must map template names to environment variables (or list them)")
    names: dict[str, str] = {}
    for name, variable in raw.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"secrets: {name!r} is not a valid name (letters, digits, _)")
        if not isinstance(variable, str) or not variable.strip():
            raise ValueError(f"secrets.{name} must name an environment variable")
        names[name] = variable.strip()
    return names


@dataclass(frozen=True)
class Secrets:
    values: Mapping[str, str]  # template name -> value; unset variables are left out
    missing: Mapping[str, str] = dataclasses.field(default_factory=dict)  # name -> variable

    @classmethod
    def from_environment(
        cls, names: Mapping[str, str], environ: Mapping[str, str] | None = None
    ) -> Secrets:
        env = os.environ if environ is None else environ
        values = {name: env[var] for name, var in names.items() if env.get(var)}
        missing = {name: var for name, var in names.items() if name not in values}
        return cls(values, missing)

    def for_template(self) -> dict[str, str]:
        return dict(self.values)

    def found_in(self, text: str) -> str | None:
        """The name of a secret whose value appears in `text`, if any."""
        for name, value in self._maskable():
            if value in text:
                return name
        return None

    def mask(self, text: str) -> str:
        for name, value in self._maskable():
            if value in text:
                text = text.replace(value, f"[secret {name}]")
        return text

    def mask_value(self, value: T) -> T:
        """A copy of JSON-like data (or a dataclass of it) with every secret masked."""
        if not self.values:
            return value
        return _mask_any(self, value)  # type: ignore[no-any-return]

    def _maskable(self) -> list[tuple[str, str]]:
        # Longest first, so a secret containing another is masked whole.
        pairs = [(n, v) for n, v in self.values.items() if len(v) >= _MIN_MASKED_LENGTH]
        return sorted(pairs, key=lambda pair: len(pair[1]), reverse=True)


NO_SECRETS = Secrets({})


def _mask_any(secrets: Secrets, value: Any) -> Any:
    if type(value) is str:  # not str enums (job states), which must stay what they are
        return secrets.mask(value)
    if isinstance(value, dict):
        return {key: _mask_any(secrets, item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_mask_any(secrets, item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _mask_any(secrets, getattr(value, f.name)) for f in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value
