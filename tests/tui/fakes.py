"""An in-memory stand-in for quizbank.store / session / auth, with the contract's API.

The kiosk tests run against it while the real store lands, and keep using it where a test
wants a store that cannot fail in surprising ways (snapshots). It draws papers with the real
generator and scores with the real scorer: only persistence is faked.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

from quizbank import auth  # the real errors: the kiosk catches these classes
from quizbank.errors import NotFoundError, SessionError
from quizbank.generator import PaperGenerator
from quizbank.loader import Library
from quizbank.models import Paper
from quizbank.scoring import Response, Score, is_answered, score_paper

TZ = timezone(timedelta(hours=8))


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2024, 6, 1, 9, 0, 0, tzinfo=TZ)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


# ------------------------------------------------------------------ store
@dataclass(frozen=True)
class Member:
    member_id: str
    name: str
    branch: str
    category: str
    active: bool = True
    has_pin: bool = False
    audience: Literal["member", "secretary"] = "member"


@dataclass
class AnswerRecord:
    no: int
    id: str
    response: Response
    points_awarded: float | None = None


@dataclass
class Attempt:
    attempt_id: int
    member_id: str
    paper_id: str
    started_at: datetime
    deadline: datetime
    status: Literal["in_progress", "submitted", "expired"] = "in_progress"
    submitted_at: datetime | None = None
    responses: dict[int, Response] = field(default_factory=dict)
    marked: set[int] = field(default_factory=set)
    score: float | None = None


@dataclass(frozen=True)
class AttemptRecord:
    attempt_id: int
    member_id: str
    name: str
    branch: str
    category: str
    paper_id: str
    blueprint: str
    started_at: datetime
    deadline: datetime
    submitted_at: datetime | None
    status: Literal["in_progress", "submitted", "expired"]
    score: float | None
    max_score: float
    passed: bool | None
    answers: list[AnswerRecord]


DEMO = [
    ("1001", "张建国", "机关党总支", "支部书记"),
    ("1002", "李秀英", "机关党总支", "正式党员"),
    ("1003", "王志强", "机关党总支", "预备党员"),
    ("1011", "赵卫东", "一车间党支部", "正式党员"),
]


class FakeStore:
    """Members, papers and attempts in dicts. ``fail_writes`` makes every write raise StoreError."""

    def __init__(self) -> None:
        self._members: dict[str, Member] = {}
        self._pins: dict[str, str] = {}
        self._papers: dict[str, Paper] = {}
        self._attempts: list[Attempt] = []
        self.closed = False
        self.fail_writes = False
        self.writes = 0

    @classmethod
    def open(cls, path: object = None, *, create: bool = True, busy_timeout_s: float = 30.0) -> FakeStore:
        return cls()

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> FakeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # roster
    def add_member(self, member_id: str, name: str, branch: str, category: str = "正式党员", pin: str | None = None) -> Member:
        audience: Literal["member", "secretary"] = "secretary" if category in ("支部书记", "挂职副书记") else "member"
        m = Member(member_id, name, branch, category, True, pin is not None, audience)
        self._members[member_id] = m
        if pin is not None:
            self._pins[member_id] = pin
        return m

    def create_demo_roster(self) -> int:
        for mid, name, branch, cat in DEMO:
            self.add_member(mid, name, branch, cat)
        return len(DEMO)

    def member(self, member_id: str) -> Member:
        try:
            return self._members[member_id]
        except KeyError:
            raise NotFoundError(f"no member {member_id}") from None

    def members(self, branch: str | None = None, *, include_inactive: bool = False) -> list[Member]:
        return [m for m in self._members.values() if branch is None or m.branch == branch]

    def branches(self) -> list[str]:
        return sorted({m.branch for m in self._members.values()})

    def verify_pin(self, member_id: str, pin: str) -> bool:
        return self._pins.get(member_id, pin) == pin

    # papers
    def save_paper(self, paper: Paper) -> None:
        self._papers[paper.paper_id] = paper

    def paper(self, paper_id: str) -> Paper:
        return self._papers[paper_id]

    def recent_question_ids(self, member_id: str, n_papers: int) -> set[str]:
        mine = [a for a in self._attempts if a.member_id == member_id][-n_papers:] if n_papers else []
        return {q.id for a in mine for q in self._papers[a.paper_id].questions}

    # attempts
    def attempts(
        self,
        *,
        branch: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        member_id: str | None = None,
        with_answers: bool = True,
    ) -> Iterator[AttemptRecord]:
        for a in self._attempts:
            if member_id is not None and a.member_id != member_id:
                continue
            m = self._members[a.member_id]
            p = self._papers[a.paper_id]
            answers = [AnswerRecord(q.no, q.id, a.responses.get(q.no)) for q in p.questions] if with_answers else []
            yield AttemptRecord(
                a.attempt_id, a.member_id, m.name, m.branch, m.category, a.paper_id, p.blueprint, a.started_at,
                a.deadline, a.submitted_at, a.status, a.score, p.total_points,
                None if a.score is None else a.score >= p.pass_mark, answers,
            )  # fmt: skip

    def _write(self) -> None:
        if self.fail_writes:
            from quizbank.errors import StoreError

            raise StoreError("the database is read-only")
        self.writes += 1


# ------------------------------------------------------------------ session
class FakeSession:
    """ExamSession's contract over a FakeStore."""

    def __init__(self, store: FakeStore, attempt: Attempt, member: Member, paper: Paper, clock: Any, resumed: bool) -> None:
        self.store = store
        self._a = attempt
        self.member = member
        self.paper = paper
        self.clock = clock
        self.resumed = resumed
        self._result: Score | None = None

    @classmethod
    def open(
        cls,
        store: FakeStore,
        library: Library,
        member_id: str,
        *,
        blueprint: str | None = None,
        time_limit_s: int | None = None,
        clock: Any = None,
        rng: random.Random | None = None,
    ) -> FakeSession:
        clock = clock or (lambda: datetime.now(TZ))
        member = store.member(member_id)
        for a in store._attempts:
            if a.member_id == member_id and a.status == "in_progress":
                s = cls(store, a, member, store.paper(a.paper_id), clock, True)
                s.check_deadline()
                return s
        key = blueprint or ("secretary" if member.audience == "secretary" else "member")
        lb = library.blueprint(key)
        gen = PaperGenerator(lb.blueprint, library.questions, revisions=library.revisions(), blueprint_key=lb.key)
        seed = (rng or random.Random()).randrange(2**31)
        paper = gen.draw(seed, store.recent_question_ids(member_id, lb.blueprint.exclude_recent))
        if time_limit_s is not None:
            paper = paper.model_copy(update={"time_limit_s": time_limit_s})
        store._write()
        store.save_paper(paper)
        now = clock()
        a = Attempt(len(store._attempts) + 1, member_id, paper.paper_id, now, now + timedelta(seconds=paper.time_limit_s))
        store._attempts.append(a)
        return cls(store, a, member, paper, clock, False)

    @property
    def attempt_id(self) -> int:
        return self._a.attempt_id

    @property
    def started_at(self) -> datetime:
        return self._a.started_at

    @property
    def deadline(self) -> datetime:
        return self._a.deadline

    @property
    def status(self) -> Literal["in_progress", "submitted", "expired"]:
        return self._a.status

    @property
    def responses(self) -> dict[int, Response]:
        return dict(self._a.responses)

    @property
    def marked(self) -> set[int]:
        return set(self._a.marked)

    def remaining_s(self) -> float:
        return max(0.0, (self._a.deadline - self.clock()).total_seconds())

    def _open_check(self) -> None:
        if self._a.status != "in_progress":
            raise SessionError(f"attempt {self._a.attempt_id} is {self._a.status}")

    def answer(self, no: int, response: Response) -> None:
        self._open_check()
        self.store._write()
        if response is None or not is_answered(response):
            self._a.responses.pop(no, None)
        else:
            self._a.responses[no] = list(response) if isinstance(response, list | tuple) else response

    def set_marked(self, no: int, marked: bool) -> None:
        self._open_check()
        self.store._write()
        if marked:
            self._a.marked.add(no)
        else:
            self._a.marked.discard(no)

    def unanswered(self) -> list[int]:
        return [q.no for q in self.paper.questions if not is_answered(self._a.responses.get(q.no))]

    def check_deadline(self) -> bool:
        if self._a.status == "in_progress" and self.clock() >= self._a.deadline:
            self._finish("expired")
            return True
        return self._a.status == "expired"

    def submit(self) -> Score:
        if self._a.status == "in_progress":
            self._finish("expired" if self.clock() >= self._a.deadline else "submitted")
        assert self._result is not None or self._a.status != "in_progress"
        return self.result or self._score()

    def _finish(self, status: Literal["submitted", "expired"]) -> None:
        self.store._write()
        self._result = self._score()
        self._a.status = status
        self._a.submitted_at = min(self.clock(), self._a.deadline)
        self._a.score = self._result.score

    def _score(self) -> Score:
        return score_paper(self.paper, self._a.responses)

    @property
    def result(self) -> Score | None:
        if self._a.status == "in_progress":
            return None
        return self._result or self._score()


# ------------------------------------------------------------------ guard
class FakeGuard:
    """Five wrong PINs lock a member for five minutes, as the contract says."""

    def __init__(self, store: FakeStore, clock: Any) -> None:
        self.store = store
        self.clock = clock
        self.failures: dict[str, int] = {}
        self.locked: dict[str, datetime] = {}

    def login(self, member_id: str, pin: str | None) -> Member:
        m = self.store.member(member_id)
        until = self.locked.get(member_id)
        if until is not None and self.clock() < until:
            raise auth.LockedOut(until)
        if not m.has_pin:
            return m
        if not pin:
            raise auth.PinRequired(f"member {member_id} needs a PIN")
        if self.store.verify_pin(member_id, pin):
            self.failures.pop(member_id, None)
            return m
        n = self.failures.get(member_id, 0) + 1
        self.failures[member_id] = n
        if n >= 5:
            self.failures.pop(member_id)
            self.locked[member_id] = self.clock() + timedelta(minutes=5)
            raise auth.LockedOut(self.locked[member_id])
        raise auth.WrongPin(5 - n)
