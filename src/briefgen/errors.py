"""The problems briefgen reports, and the exit codes they map to.

Every problem in a brief carries its location so that the command line can print
``FILE:LINE:COLUMN: field.path: message``, the form editors and CI logs link to.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1, as editors do."""

    file: Path
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{printable(display_path(self.file))}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located and worded for the person who wrote it."""

    location: Location
    message: str
    field: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        field = f"{printable(self.field)}: " if self.field else ""
        return f"{self.location}: {prefix}{field}{printable(self.message)}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class BriefgenError(Exception):
    """Base of every error briefgen raises on purpose; carries its exit code."""

    exit_code = EXIT_FAILED


class UsageError(BriefgenError):
    """The command line itself is wrong (an unknown audience, a missing path)."""

    exit_code = EXIT_USAGE


class BriefError(BriefgenError):
    """One or more located problems in a brief; the brief cannot be built."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class TemplateError(BriefgenError):
    """A template is missing or broken; names the folders searched or the template line."""


class RenderError(BriefgenError):
    """An output could not be produced (layout failed, page budget exceeded)."""


def printable(text: str) -> str:
    """``text`` with every control and invisible formatting character escaped (\\n,
    \\u202e): a value from a file can never start a line of briefgen's output of its
    own, move the cursor, or reorder what a terminal shows."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char == " " else _escape(char)
                   for char in text)


def _escape(char: str) -> str:
    if unicodedata.category(char) == "Zs":  # a space of another width: harmless
        return char
    code = ord(char)
    return repr(char)[1:-1] if code < 0x100 else f"\\u{code:04x}"


def display_path(path: Path) -> str:
    """Show paths relative to the working folder when they are inside it, as compilers do
    (a link is shown where it is, not where it leads)."""
    cwd = Path.cwd()
    for candidate in (path.absolute(), path.resolve()):
        try:
            return str(candidate.relative_to(cwd))
        except ValueError:
            continue
    return str(path)
