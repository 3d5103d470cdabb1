"""What the kiosk needs from the core, written down as protocols.

The kiosk drives three core objects: the store (``quizbank.store.Store``), the exam session
(``quizbank.session.ExamSession``) and the login guard (``quizbank.auth.LoginGuard``). These
protocols name the part of their API the screens call and nothing more, so that

* mypy checks the screens against the contract, not against one implementation;
* tests can hand the app a small in-memory fake (``tests/tui/fakes.py``), the way httpx
  tests hand a client a ``MockTransport``.

Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:  # types only: the kiosk's first frame does not wait for the models (pydantic)
    from quizbank.loader import Library
    from quizbank.models import Paper
    from quizbank.scoring import Response, Score

__all__ = [
    "AttemptLike",
    "Clock",
    "GuardLike",
    "MemberLike",
    "SessionFactory",
    "SessionLike",
    "Status",
    "StoreLike",
]

Clock = Callable[[], datetime]
"""Returns the current time as an aware datetime; tests pass a fake they can move."""

Status = Literal["in_progress", "submitted", "expired"]


class MemberLike(Protocol):
    """A roster entry (``quizbank.store.Member``)."""

    @property
    def member_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def branch(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def has_pin(self) -> bool: ...
    @property
    def audience(self) -> Literal["member", "secretary"]: ...


class AttemptLike(Protocol):
    """One attempt as the store lists it (``quizbank.store.AttemptRecord``)."""

    @property
    def attempt_id(self) -> int: ...
    @property
    def paper_id(self) -> str: ...
    @property
    def status(self) -> Status: ...
    @property
    def deadline(self) -> datetime: ...


class StoreLike(Protocol):
    """The store calls the kiosk makes itself (the rest go through the session)."""

    def member(self, member_id: str) -> MemberLike: ...
    def paper(self, paper_id: str) -> Paper: ...
    def attempts(self, *, member_id: str | None = None, with_answers: bool = True) -> Iterator[AttemptLike]: ...
    def close(self) -> None: ...


class SessionLike(Protocol):
    """One member's attempt at one paper (``quizbank.session.ExamSession``).

    Every mutating call is committed to the database before it returns; the kiosk shows an
    answer as saved only after the call came back.
    """

    @property
    def attempt_id(self) -> int: ...
    @property
    def member(self) -> MemberLike: ...
    @property
    def paper(self) -> Paper: ...
    @property
    def deadline(self) -> datetime: ...
    @property
    def status(self) -> Status: ...
    @property
    def responses(self) -> dict[int, Response]: ...
    @property
    def marked(self) -> set[int]: ...
    @property
    def resumed(self) -> bool: ...
    @property
    def result(self) -> Score | None: ...

    def remaining_s(self) -> float: ...
    def answer(self, no: int, response: Response) -> None: ...
    def set_marked(self, no: int, marked: bool) -> None: ...
    def unanswered(self) -> list[int]: ...
    def check_deadline(self) -> bool: ...
    def submit(self) -> Score: ...


class GuardLike(Protocol):
    """Checks an ID and PIN (``quizbank.auth.LoginGuard``).

    ``login`` raises ``NotFoundError`` for an unknown ID, and ``PinRequired``, ``WrongPin`` or
    ``LockedOut`` from ``quizbank.auth``.
    """

    def login(self, member_id: str, pin: str | None) -> MemberLike: ...


SessionFactory = Callable[["Library", str], SessionLike]
"""Opens (or resumes) the exam session of a member ID from a library: ``ExamSession.open``
with the kiosk's store, blueprint, time limit and clock already bound."""
