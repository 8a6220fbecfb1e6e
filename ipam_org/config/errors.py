"""Problems found in a config file, each tied to the path of the field it concerns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PathPart = str | int


def format_path(parts: Iterable[PathPart]) -> str:
    """('pools', 0, 'cidrs', 1) -> 'pools[0].cidrs[1]'."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(file)"


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ConfigError(Exception):
    """Raised with every problem found, so the user fixes them in one pass."""

    def __init__(self, problems: list[Problem], partial: Any = None):
        self.problems = problems
        self.partial = partial  # the config without its unknown keys, when that much parsed: the rules still run on it
        super().__init__("\n".join(str(p) for p in problems))


def refuse(what: str, problems: list[Problem]) -> None:
    """A construct's props are invalid: raise ValueError naming each problem (nothing raised when there are none)."""
    if problems:
        raise ValueError(f"{what} is not valid:\n" + "\n".join(f"  {problem}" for problem in problems))
