"""The exam session: one member's attempt at one paper, as the kiosk drives it.

The kiosk holds screens; everything about the exam itself lives here, in the core, so it
can be tested without a terminal: which paper a member gets, saving answers, marks, the
deadline, submitting, expiring, resuming after a crash. The session takes its clock and
its random source as arguments, so tests move time forward without sleeping.

Rules it keeps (DESIGN.md "Time"):

* The deadline is fixed when the attempt starts and stored. A kiosk that crashes resumes
  the same attempt (same paper, answers, marks, deadline) on the next login, on any kiosk.
* Every answer is committed to the database before :meth:`ExamSession.answer` returns;
  the screen confirms an answer only after that.
* At the deadline the attempt is submitted as it stands, by whoever notices first: the
  kiosk's timer (:meth:`ExamSession.check_deadline`), the next answer, the next login,
  or ``quizbank results``. The store checks the deadline and the attempt's status in the
  same transaction that would save an answer, so an answer cannot slip into an attempt
  that another kiosk (or ``results``) has just closed.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Literal

from .clock import Clock, now_local
from .errors import SessionError
from .generator import PaperGenerator
from .loader import Library, LoadedBlueprint
from .models import LETTERS, Paper, PaperQuestion
from .scoring import Response, Score, Scorer, is_answered
from .store import Member, Status, Store, marks_of, responses_of

__all__ = ["Clock", "ExamSession", "normalise_response", "now_local"]

_MAX_BLANK = 200  # characters in one fill blank: a member types words, not essays


# Generators index the banks and memoise allocations; a kiosk process keeps them across
# sessions. Keyed by the objects' ids, holding the objects so the ids stay theirs.
_GENERATORS: dict[tuple[int, int], tuple[Library, LoadedBlueprint, PaperGenerator]] = {}


def _generator(library: Library, lb: LoadedBlueprint) -> PaperGenerator:
    key = (id(library), id(lb))
    hit = _GENERATORS.get(key)
    if hit is not None:
        return hit[2]
    gen = PaperGenerator(lb.blueprint, library.questions, revisions=library.revisions(), blueprint_key=lb.key)
    if len(_GENERATORS) >= 8:
        _GENERATORS.pop(next(iter(_GENERATORS)))
    _GENERATORS[key] = (library, lb, gen)
    return gen


class ExamSession:
    """One attempt, open at a kiosk. Build it with :meth:`open`.

    Attributes:
        attempt_id: the stored attempt.
        member: who is taking it.
        paper: the frozen paper.
        started_at, deadline: fixed when the attempt started.
        status: ``in_progress``, ``submitted`` or ``expired``.
        responses: answered questions by number (1-based); a fill answer is a list of strings.
        marked: question numbers flagged for review.
        resumed: True when an existing attempt was picked up rather than started.
    """

    def __init__(
        self,
        store: Store,
        member: Member,
        paper: Paper,
        attempt_id: int,
        *,
        started_at: datetime,
        deadline: datetime,
        status: Status,
        responses: dict[int, Response],
        marked: set[int],
        resumed: bool,
        clock: Clock,
    ) -> None:
        self.store = store
        self.member = member
        self.paper = paper
        self.attempt_id = attempt_id
        self.started_at = started_at
        self.deadline = deadline
        self.status: Status = status
        self.responses = responses
        self.marked = marked
        self.resumed = resumed
        self.clock = clock
        self._result: Score | None = None
        self._by_no = {q.no: q for q in paper.questions}

    # -------------------------------------------------------------- opening
    @classmethod
    def open(
        cls,
        store: Store,
        library: Library,
        member_id: str,
        *,
        blueprint: str | None = None,
        time_limit_s: int | None = None,
        clock: Clock = now_local,
        rng: random.Random | None = None,
    ) -> ExamSession:
        """The member's session: their unfinished attempt, else a new one.

        A new attempt takes the member's pending spot-check paper if there is one, else a
        fresh paper from ``blueprint`` (default: ``secretary`` for the secretary audience,
        ``member`` otherwise) avoiding the questions of their recent papers.
        ``time_limit_s`` overrides the paper's limit (drills, tests). An unfinished attempt
        whose deadline has passed is expired and returned as such (``status ==
        "expired"``): no new attempt is started, so the kiosk can show the result.

        Raises:
            NotFoundError: no member with this ID, or no such blueprint.
            SessionError: the member is no longer on the active roster.
            InfeasibleError: the banks cannot make a paper for the blueprint.
            StoreError: the database cannot be written.
        """
        if time_limit_s is not None and time_limit_s <= 0:
            raise ValueError("time_limit_s must be positive")
        member = store.member(member_id)
        if not member.active:
            raise SessionError(f"{member.name} ({member_id}) is no longer on the active roster")
        rng = rng or random.Random()
        for _ in range(5):  # only a race with another kiosk can make this go round
            existing = store.open_attempt_id(member_id)
            if existing is not None:
                return cls._resume(store, member, existing, clock)
            assignment = store.pending_assignment(member_id)
            if assignment is not None:
                paper = store.paper(assignment.paper_id)
            else:
                paper = cls._draw(store, library, member, blueprint, rng)
            now = _aware(clock())
            limit = time_limit_s if time_limit_s is not None else paper.time_limit_s
            deadline = now + timedelta(seconds=limit)
            attempt_id, created = store.start_attempt(
                member_id,
                paper,
                started_at=now,
                deadline=deadline,
                assignment_id=assignment.assignment_id if assignment is not None else None,
            )
            if created:
                return cls(
                    store,
                    member,
                    paper,
                    attempt_id,
                    started_at=now,
                    deadline=deadline,
                    status="in_progress",
                    responses={},
                    marked=set(),
                    resumed=False,
                    clock=clock,
                )
        raise SessionError(f"could not start an attempt for {member_id}: another kiosk keeps starting one")

    @staticmethod
    def _draw(store: Store, library: Library, member: Member, blueprint: str | None, rng: random.Random) -> Paper:
        key = blueprint or ("secretary" if member.audience == "secretary" else "member")
        lb = library.blueprint(key)
        exclude = store.recent_question_ids(member.member_id, lb.blueprint.exclude_recent)
        return _generator(library, lb).draw(rng.getrandbits(32), exclude)

    @classmethod
    def _resume(cls, store: Store, member: Member, attempt_id: int, clock: Clock) -> ExamSession:
        rec = store.attempt(attempt_id)
        session = cls(
            store,
            member,
            store.paper(rec.paper_id),
            attempt_id,
            started_at=rec.started_at,
            deadline=rec.deadline,
            status=rec.status,
            responses=_lists(responses_of(rec)),
            marked=marks_of(rec),
            resumed=True,
            clock=clock,
        )
        if session.status == "in_progress":
            session.check_deadline()
        else:
            session._reload()
        return session

    # -------------------------------------------------------------- state
    @property
    def result(self) -> Score | None:
        """The score once the attempt is submitted or expired; None while in progress."""
        return self._result

    def remaining_s(self) -> float:
        """Seconds to the stored deadline by the session's clock, never negative."""
        return max(0.0, (self.deadline - self._now()).total_seconds())

    def unanswered(self) -> list[int]:
        """Numbers of the questions without an answer, in paper order."""
        return [q.no for q in self.paper.questions if not is_answered(self.responses.get(q.no))]

    # -------------------------------------------------------------- actions
    def answer(self, no: int, response: Response) -> None:
        """Save the answer to question ``no`` (``None`` clears it); durable when this returns.

        Raises:
            SessionError: the attempt is closed (submitted, or the deadline passed: then it
                is expired now), ``no`` is not on the paper, or the response does not fit
                the question (a letter beyond the options, a judge answer that is not a bool).
            StoreError: the database cannot be written; the answer is not saved.
        """
        self._require_open()
        value = normalise_response(self._question(no), response)
        now = self._now()
        if now >= self.deadline:
            self._finish("expired")
            raise SessionError(f"time is up: attempt {self.attempt_id} was submitted as it stood at the deadline")
        status = self.store.save_answer(self.attempt_id, no, value, now=now)
        if status != "in_progress":
            self._closed_elsewhere(status)
        if value is None:
            self.responses.pop(no, None)
        else:
            self.responses[no] = value

    def set_marked(self, no: int, marked: bool) -> None:
        """Flag question ``no`` for review (or unflag it); stored like an answer."""
        self._require_open()
        self._question(no)
        status = self.store.set_marked(self.attempt_id, no, marked)
        if status != "in_progress":
            self._closed_elsewhere(status)
        if marked:
            self.marked.add(no)
        else:
            self.marked.discard(no)

    def check_deadline(self) -> bool:
        """If the deadline has passed, submit the attempt as it stands (expired); True if expired."""
        if self.status == "in_progress" and self._now() >= self.deadline:
            self._finish("expired")
        return self.status == "expired"

    def submit(self) -> Score:
        """Submit the attempt (``expired`` if past the deadline) and return its score; idempotent."""
        if self.status == "in_progress":
            self._finish("expired" if self._now() >= self.deadline else "submitted")
        if self._result is None:
            self._reload()
        assert self._result is not None
        return self._result

    # -------------------------------------------------------------- internals
    def _now(self) -> datetime:
        return _aware(self.clock())

    def _question(self, no: int) -> PaperQuestion:
        q = self._by_no.get(no)
        if q is None:
            raise SessionError(f"paper {self.paper.paper_id} has no question {no} (1–{len(self.paper.questions)})")
        return q

    def _require_open(self) -> None:
        if self.status != "in_progress":
            raise SessionError(f"attempt {self.attempt_id} is {self.status}; it takes no more answers")
        if self._now() >= self.deadline:
            self._finish("expired")
            raise SessionError(f"time is up: attempt {self.attempt_id} was submitted as it stood at the deadline")

    def _finish(self, status: Literal["submitted", "expired"]) -> None:
        submitted_at = self.deadline if status == "expired" else self._now()
        self.status, self._result = self.store.finish_attempt(self.attempt_id, status=status, submitted_at=submitted_at)
        self._reload(score=False)

    def _reload(self, *, score: bool = True) -> None:
        """Take the stored state as the truth (another kiosk may have written too)."""
        rec = self.store.attempt(self.attempt_id)
        self.status = rec.status
        self.responses = _lists(responses_of(rec))
        self.marked = marks_of(rec)
        if score and rec.status != "in_progress":
            self._result = Scorer(self.paper).score(self.responses)

    def _closed_elsewhere(self, status: Status) -> None:
        if status == "expired":
            self._finish("expired")  # the store saw the deadline pass; close it if nobody has
        else:
            self._reload()
        raise SessionError(f"attempt {self.attempt_id} is {self.status}; it takes no more answers")


def normalise_response(q: PaperQuestion, response: Response) -> Response:
    """A response in the form the store keeps, or :class:`SessionError` if it cannot fit ``q``.

    single: one letter; multiple: its letters sorted (``"CA"`` → ``"AC"``); judge: a bool;
    fill: a list with one string per blank. An empty choice or all-empty blanks is None.
    """
    if response is None:
        return None
    if q.type == "judge":
        if not isinstance(response, bool):
            raise SessionError(f"question {q.no} is a judge question: answer True (正确) or False (错误)")
        return response
    if isinstance(response, bool):
        raise SessionError(f"question {q.no} is a {q.type} question, not a judge question")
    if q.type in ("single", "multiple"):
        text = response if isinstance(response, str) else "".join(str(x) for x in response)
        chosen = sorted({ch for ch in text.upper() if not ch.isspace() and ch not in ",，、"})
        valid = LETTERS[: len(q.options)]
        bad = [ch for ch in chosen if ch not in valid]
        if bad:
            raise SessionError(f"question {q.no}: {''.join(bad)} is not one of the options A–{valid[-1]}")
        if not chosen:
            return None
        if q.type == "single" and len(chosen) != 1:
            raise SessionError(f"question {q.no} takes one letter, not {''.join(chosen)}")
        return "".join(chosen)
    assert isinstance(q.answer, tuple)
    blanks = len(q.answer)
    items = [response] if isinstance(response, str) else list(response)
    if len(items) > blanks or not all(isinstance(x, str) for x in items):
        raise SessionError(f"question {q.no} has {blanks} blank{'s' if blanks != 1 else ''}: give a list of texts")
    if any(len(x) > _MAX_BLANK for x in items):
        raise SessionError(f"question {q.no}: a blank takes at most {_MAX_BLANK} characters")
    items += [""] * (blanks - len(items))
    if not any(x.strip() for x in items):
        return None
    return items


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def _lists(responses: dict[int, Response]) -> dict[int, Response]:
    """Fill answers as lists (the store hands out shared tuples; the kiosk may edit a copy)."""
    return {no: list(r) if isinstance(r, tuple) else r for no, r in responses.items()}
