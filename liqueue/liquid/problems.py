"""`Problem`: one finding of `Runtime.check`, and the collector that gathers them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from liqueue.errors import Location
from liqueue.liquid.positions import line_col, tag_start, to_template_error, token_location

if TYPE_CHECKING:
    from liquid.exceptions import LiquidError
    from liquid.token import Token

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str
    severity: Severity

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


@dataclass
class ProblemCollector:
    """Receives problems while one template at a time (`path`) is parsed."""

    path: str = ""
    problems: list[Problem] = field(default_factory=list)

    def syntax_error(self, err: LiquidError) -> None:
        converted = to_template_error(err, self.path)
        location = converted.location or Location(self.path)
        self.add(Problem(location, converted.message, "error"))

    def report(
        self, token: Token, message: str, severity: Severity, *, at_tag: bool = False
    ) -> None:
        if at_tag:
            line, column = line_col(token.source, tag_start(token))
            location = Location(self.path, line, column)
        else:
            location = token_location(self.path, token)
        self.add(Problem(location, message, severity))

    def add(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    def sorted(self) -> list[Problem]:
        return sorted(
            self.problems,
            key=lambda p: (p.location.path, p.location.line, p.location.column, p.message),
        )
