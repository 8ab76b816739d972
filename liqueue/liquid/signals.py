"""Control flow that travels as an exception but is never an error."""

from __future__ import annotations


class ReturnSignal(Exception):
    """Carries `{% return %}`'s value up to the `function` tag. `try` never catches it."""

    def __init__(self, value: object) -> None:
        super().__init__("return")
        self.value = value
