"""One exception root for every mistake a user can make, each carrying where it was made."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Control characters (C0, DEL, C1) and the bidirectional controls that reorder what a terminal
# shows: a file name holding them must not move the cursor, colour the screen or fake a line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text safe to print on one terminal line: control characters written as escapes."""
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], text)


@dataclass(frozen=True)
class Location:
    """Where a problem sits: a file, optionally a line and column, optionally a field path."""

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Problem:
    """One located finding; warnings never stop a command unless asked to."""

    location: Location
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        parts = [str(self.location)]
        if self.location.path:
            parts.append(self.location.path)
        prefix = "warning: " if self.severity == "warning" else ""
        parts.append(prefix + self.message)
        return printable(": ".join(parts))


class ContractkitError(Exception):
    """Root of every error caused by the user's input or an action contractkit refuses.

    The command line prints each problem on one line and exits with ``exit_code``.
    """

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem | str, location: Location | None = None):
        if isinstance(problems, str):
            problems = [Problem(location or Location("contractkit"), problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def at(
        cls,
        file: str | Path,
        message: str,
        line: int | None = None,
        column: int | None = None,
        path: str = "",
    ) -> ContractkitError:
        """Build an error for a single located problem."""
        return cls([Problem(Location(str(file), line, column, path), message)])


class SpecError(ContractkitError):
    """The engagement spec is malformed or breaks a rule."""


class LibraryError(ContractkitError):
    """A clause file, outline or definition in the clause library is wrong."""


class TemplateError(ContractkitError):
    """A house template does not meet the contract the renderers rely on."""


class RefusedError(ContractkitError):
    """contractkit declined to act, e.g. to overwrite a file."""
