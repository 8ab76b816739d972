"""What a render reaches outside itself: API calls, host functions, secrets.

One `Outside` per `Runtime`, attached to its Environment so that every tag
(in every partial) finds it through `context.env`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from liqueue.api_calls.sending import ApiCaller
from liqueue.api_calls.settings import HttpSettings
from liqueue.clock import SYSTEM_CLOCK, Clock
from liqueue.functions import HostFunctions
from liqueue.liquid.api_call_definitions import ApiCallDefinitions
from liqueue.policies import JobAdmission
from liqueue.secrets import NO_SECRETS, Secrets

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from liquid import Environment

    from liqueue.config import AppConfig
    from liqueue.functions import HostFunction

_ATTRIBUTE = "liqueue_outside"


@dataclass
class Outside:
    api: ApiCaller = field(default_factory=lambda: ApiCaller(HttpSettings()))
    functions: HostFunctions = field(default_factory=HostFunctions)
    secrets: Secrets = NO_SECRETS
    definitions: ApiCallDefinitions = field(default_factory=ApiCallDefinitions)
    clock: Clock = SYSTEM_CLOCK
    admission: JobAdmission = field(default_factory=JobAdmission)  # unique jobs


def attach_outside(env: Environment, outside: Outside) -> None:
    setattr(env, _ATTRIBUTE, outside)


def outside_of(env: Environment) -> Outside:
    outside = getattr(env, _ATTRIBUTE, None)
    if not isinstance(outside, Outside):
        outside = Outside()
        attach_outside(env, outside)
    return outside


def build_outside(
    root: Path,
    config: AppConfig,
    clock: Clock = SYSTEM_CLOCK,
    functions: Mapping[str, HostFunction] | None = None,
) -> Outside:
    """The application's API caller, host functions (given, then `functions:` entry
    points) and secrets (read from the environment now)."""
    return Outside(
        api=ApiCaller(config.http),
        functions=HostFunctions(functions, config.functions, root),
        secrets=Secrets.from_environment(config.secrets),
        clock=clock,
    )
