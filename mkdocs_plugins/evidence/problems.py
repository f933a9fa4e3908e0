"""Problems found in the editors' input, each with a stable kind, a place and a fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the input. `kind` is stable so users and tests can name it."""

    kind: str
    file: str
    line: int | None
    message: str
    level: str = "warning"

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.location()}: {self.message} [{self.kind}]"


class ProblemList(list):
    """A list of Problems with a helper to add one."""

    def add(self, kind: str, file: str, line: int | None, message: str, level: str = "warning") -> None:
        self.append(Problem(kind, file, line, message, level))


class SiteError(Exception):
    """A problem that stops the build at once (the message says what to do)."""
