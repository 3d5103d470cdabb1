"""The errors quizbank raises, one subclass per area.

Every error carries what the person at the keyboard needs to fix the problem: the file and
line, the spreadsheet row, the member ID. The command line catches :class:`QuizbankError`,
prints it and exits with the error's ``exit_code``; a traceback is always a bug.

::

    QuizbankError                 exit 1 unless stated
    ├── InputError                problems found in an input file (banks, blueprints, rosters, imports)
    │   ├── BankError             a bank or blueprint file; each problem as PATH:LINE: message
    │   ├── RosterError           a roster file; each problem names its row
    │   └── ImportProblem         a question file being imported
    ├── InfeasibleError           exit 3: a blueprint the banks cannot meet, a sample too large
    ├── NotFoundError             a member, paper, attempt or blueprint that does not exist
    ├── SessionError              an exam action that is not allowed (answering a submitted attempt)
    └── StoreError                the database cannot be read or written (read-only, disk full)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "BankError",
    "ImportProblem",
    "InfeasibleError",
    "InputError",
    "NotFoundError",
    "Problem",
    "QuizbankError",
    "RosterError",
    "SessionError",
    "StoreError",
]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, at a place a person can find.

    ``where`` is a file path, ``line`` a 1-based line (or spreadsheet row when ``row_label``
    says so). Sorting problems sorts them by file and position, which is the order an editor
    wants to walk them in.
    """

    where: str
    line: int | None
    message: str
    row_label: str = ""

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.where}: {self.message}"
        if self.row_label:
            return f"{self.where}: {self.row_label} {self.line}: {self.message}"
        return f"{self.where}:{self.line}: {self.message}"


class QuizbankError(Exception):
    """Base of every error quizbank raises on purpose."""

    exit_code: int = 1


class InputError(QuizbankError):
    """An input file has problems; all of them are listed, none was acted on."""

    def __init__(self, problems: Iterable[Problem], summary: str = "") -> None:
        self.problems: list[Problem] = sorted(problems)
        self.summary = summary
        super().__init__(self.render())

    def render(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.summary:
            lines.append(self.summary)
        return "\n".join(lines)


class BankError(InputError):
    """Problems in bank or blueprint files, each as ``PATH:LINE: message``."""


class RosterError(InputError):
    """Problems in a roster file, each naming the spreadsheet row or line."""


class ImportProblem(InputError):
    """Problems in a question file being imported (Excel template or Word-style text)."""


class InfeasibleError(QuizbankError):
    """The request cannot be met: a blueprint the banks cannot satisfy, a sample too large."""

    exit_code = 3

    def __init__(self, message: str, reasons: Sequence[str] = ()) -> None:
        self.reasons = list(reasons)
        text = message if not self.reasons else message + "\n" + "\n".join(f"  - {r}" for r in self.reasons)
        super().__init__(text)


class NotFoundError(QuizbankError):
    """Something named on the command line or at the kiosk does not exist."""


class SessionError(QuizbankError):
    """An exam action that the attempt's state does not allow."""


class StoreError(QuizbankError):
    """The database cannot be read or written; what was saved before is untouched.

    ``reason`` says which trouble it is (``read_only``, ``disk_full``, ``locked``, ``io``,
    ``corrupt``, ``cannot_open``, ``schema``) so a kiosk can word its notice without parsing
    the message; ``path`` is the database file.
    """

    def __init__(self, message: str, *, reason: str = "", path: str = "") -> None:
        self.reason = reason
        self.path = path
        super().__init__(message)
