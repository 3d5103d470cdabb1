"""Simulated members and attempts for demonstrations and benchmarks (``quizbank simulate``).

A demonstration of the committee workbook needs data that looks like a year of tests: branches
that differ, members who differ, questions that differ, a few members never tested. Random
marks would give flat, meaningless statistics, so answers come from a small item-response
model (three-parameter logistic, the one exam analysts use):

* each member has an ability ``θ ~ N(μ_branch, 1)``; branches differ (``μ_branch ~ N(0, 0.4)``),
  secretaries know a little more, candidates (发展对象) a little less, and every retake
  adds a little (people study between attempts);
* each question has a difficulty ``b`` from its bank label (easy −1.6, medium −0.6,
  hard +0.4, plus noise), a discrimination ``a ~ U(0.6, 1.8)`` and a guessing floor (¼ for
  a four-option single, ½ for a judge, none for fill and multiple);
* ``P(right) = c + (1 − c) / (1 + exp(−1.7·a·(θ − b)))``. A multiple that is not right is
  half right (a correct subset) as often as wrong; a fill is decided blank by blank.

``--miskeyed N`` makes N questions behave as if their key were wrong (negative ``a``:
the stronger the member, the likelier the "wrong" answer), so that 题目分析 has something
to flag. Everything is a pure function of ``--seed``.

Simulated data must never mix with real results: every simulated paper carries the
blueprint key ``simulated:…``, simulated members have IDs ``S00001``…, and the command
refuses a database that holds attempts not made by it, or a roster other than the demo
roster and earlier simulated members. Attempts are written through
:meth:`quizbank.store.Store.add_finished_attempts`, which scores and seals them exactly as
the kiosk's submissions are, so ``quizbank verify`` passes on a simulated database.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import InfeasibleError, QuizbankError
from .generator import PaperGenerator
from .loader import Library
from .models import LETTERS, Paper, PaperQuestion
from .periods import Period, now_local
from .roster import DEMO_ROSTER, RosterEntry, audience_of
from .scoring import Response
from .store import FinishedAttempt, Store

__all__ = ["SIMULATED_ID_PREFIX", "SIMULATED_KEY_PREFIX", "SimulationResult", "branch_names", "simulate"]

SIMULATED_KEY_PREFIX = "simulated:"
SIMULATED_ID_PREFIX = "S"
_BATCH = 500  # attempts per transaction: one fsync per batch, bounded memory

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = (
    "建国志强海燕立新文静德胜丽华永刚春梅卫东建华国庆红梅振华玉兰志明建军淑芬长江光辉小红宝山秀英桂兰明亮晓东雪梅俊杰婷婷宏伟佳怡"
)
_NUMERALS = "一二三四五六七八九十"
_DIFFICULTY_B = {"easy": -1.6, "medium": -0.6, "hard": 0.4}


def _numeral(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 35 → 三十五 (n ≤ 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return head + (_NUMERALS[ones - 1] if ones else "")


def branch_names(n: int) -> list[str]:
    """机关党总支, 一车间党支部, 二车间党支部, …: the shape of a railway section's branches."""
    return ["机关党总支"] + [f"{_numeral(i)}车间党支部" for i in range(1, n)]


@dataclass(frozen=True)
class _Item:
    a: float
    b: float


@dataclass(frozen=True)
class SimulationResult:
    """What ``simulate`` did, for the command's message."""

    members: int
    branches: int
    attempts: int
    expired: int
    first: datetime | None
    last: datetime | None


class _Model:
    """The item-response model: abilities per member, parameters per question."""

    def __init__(self, rng: random.Random, seed: int, miskeyed: set[str]) -> None:
        self.rng = rng
        self.seed = seed
        self.items: dict[str, _Item] = {}
        self.miskeyed = miskeyed

    def item(self, q: PaperQuestion) -> _Item:
        it = self.items.get(q.id)
        if it is None:
            # a per-question generator keeps an item's parameters independent of drawing order
            r = random.Random(f"{self.seed}:{q.id}")
            a = r.uniform(0.6, 1.8)
            if q.id in self.miskeyed:
                a = -a
            it = self.items[q.id] = _Item(a, _DIFFICULTY_B[q.difficulty] + r.gauss(0, 0.5))
        return it

    def p_right(self, theta: float, q: PaperQuestion) -> float:
        it = self.item(q)
        if q.type == "single":
            c = 1.0 / max(2, len(q.options))
        elif q.type == "judge":
            c = 0.5
        else:
            c = 0.0
        return c + (1 - c) / (1 + math.exp(-1.7 * it.a * (theta - it.b)))

    def respond(self, theta: float, q: PaperQuestion) -> Response:
        rng = self.rng
        if rng.random() < 0.01:
            return None  # left blank
        p = self.p_right(theta, q)
        right = rng.random() < p
        if q.type == "single":
            key = str(q.answer)
            if right:
                return key
            return rng.choice([ch for ch in LETTERS[: len(q.options)] if ch != key] or [key])
        if q.type == "judge":
            return bool(q.answer) if right else not bool(q.answer)
        if q.type == "multiple":
            key = str(q.answer)
            if right:
                return key
            if rng.random() < 0.5 and len(key) > 1:
                return "".join(sorted(rng.sample(key, rng.randrange(1, len(key)))))  # a correct subset: half marks
            wrong = [ch for ch in LETTERS[: len(q.options)] if ch not in key]
            picked = (set(rng.sample(key, rng.randrange(0, len(key)))) | {rng.choice(wrong)}) if wrong else set(key[:1])
            return "".join(sorted(picked))
        assert isinstance(q.answer, tuple)
        out = []
        for blank in q.answer:
            out.append(blank[0] if rng.random() < p else "不清楚")
        return out


def _check_database(store: Store) -> list[RosterEntry]:
    """Refuse real data; return the roster entries to keep (demo and earlier simulated members)."""
    real = store.count_attempts(excluding_blueprint_key_prefix=SIMULATED_KEY_PREFIX)
    if real:
        raise InfeasibleError(
            f"{store.path}: the database holds {real} real attempt{'s' if real != 1 else ''}; "
            "simulate only fills a new or demo database (use another --db)"
        )
    demo = {r[0] for r in DEMO_ROSTER}
    keep = []
    for m in store.members():
        if m.member_id not in demo and not m.member_id.startswith(SIMULATED_ID_PREFIX):
            raise InfeasibleError(
                f"{store.path}: the roster holds real members (e.g. {m.member_id} {m.name}); "
                "simulate only fills a new or demo database (use another --db)"
            )
        keep.append(RosterEntry(m.member_id, m.name, m.branch, m.category, None, 0))
    return keep


def _new_members(rng: random.Random, n: int, n_branches: int, start: int) -> list[RosterEntry]:
    names = branch_names(n_branches)
    out = []
    for i in range(n):
        branch = names[i % n_branches]
        first_of_branch = i < n_branches
        if first_of_branch:
            category = "支部书记"
        else:
            category = rng.choices(["正式党员", "预备党员", "发展对象", "挂职副书记"], [84, 8, 7, 1])[0]
        name = rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2))))
        out.append(RosterEntry(f"{SIMULATED_ID_PREFIX}{start + i:05d}", name, branch, category, None, 0))
    return out


def _moment(rng: random.Random, period: Period, until: datetime) -> datetime:
    """A working-hours moment (Mon–Fri, 08:00–17:30 local) inside the period and before ``until``."""
    end = min(period.end, until)
    span = (end - period.start).total_seconds()
    for _ in range(50):
        t = period.start + timedelta(seconds=rng.uniform(0, max(span, 1.0)))
        if t.weekday() < 5 and 8 <= t.hour < 17:
            return t.replace(minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
    return period.start + timedelta(seconds=rng.uniform(0, max(span, 1.0)))


def simulate(
    store: Store,
    library: Library,
    *,
    members: int,
    attempts: int,
    period: Period,
    seed: int = 1,
    branches: int | None = None,
    coverage: float = 0.95,
    blueprint: str | None = None,
    miskeyed: int = 2,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Add ``members`` simulated members and, for about ``coverage`` of them, ``attempts`` attempts each.

    Args:
        store: a new, demo or earlier simulated database.
        library: the banks and blueprints papers are drawn from.
        members: how many members to add.
        attempts: attempts per tested member.
        period: attempts are spread over working hours in this period, never after ``now``.
        seed: everything follows from it.
        branches: how many branches (default: one per 25 members, at most 40).
        coverage: the share of members who sit any test (the rest show in 未参考).
        blueprint: one blueprint for everybody (default: by audience, as the kiosk does).
        miskeyed: questions that behave as if their key were wrong.
        now: the present (default: the clock); no attempt is dated after it.
        progress: called with (attempts written, attempts planned) after each batch.

    Raises:
        InfeasibleError: the database holds real attempts or a real roster; nothing is written.
    """
    if members < 1 or attempts < 0:
        raise QuizbankError("--members must be at least 1 and --attempts at least 0")
    now = now or now_local()
    if period.start >= now:
        raise InfeasibleError(f"the period {period.label} has not begun; attempts are never dated in the future")
    keep = _check_database(store)
    rng = random.Random(seed)
    n_branches = branches or max(1, min(40, math.ceil(members / 25)))
    start = 1 + max((int(e.member_id[1:]) for e in keep if e.member_id[1:].isdigit() and e.member_id[0] == "S"), default=0)
    new = _new_members(rng, members, n_branches, start)
    store.import_roster([*keep, *new], now=now)

    generators: dict[str, tuple[str, PaperGenerator]] = {}

    def generator_for(category: str) -> tuple[str, PaperGenerator]:
        key = blueprint or audience_of(category)
        if key not in generators:
            lb = library.blueprint(key)
            gen = PaperGenerator(lb.blueprint, library.questions, revisions=library.revisions(), blueprint_key=lb.key)
            generators[key] = (lb.key, gen)
        return generators[key]

    pool = sorted({q.id for q in library.questions if not q.retired})
    model = _Model(rng, seed, set(rng.sample(pool, min(miskeyed, len(pool)))))
    mu = {b: rng.gauss(0, 0.4) for b in branch_names(n_branches)}
    plan: list[tuple[datetime, RosterEntry, float, int]] = []
    for e in new:
        if rng.random() >= coverage:
            continue
        theta = rng.gauss(mu.get(e.branch, 0.0), 1.0)
        theta += {"支部书记": 0.5, "挂职副书记": 0.5, "发展对象": -0.2}.get(e.category, 0.0)
        for k in range(attempts):
            plan.append((_moment(rng, period, now), e, theta + 0.15 * k, k))
    plan.sort(key=lambda p: (p[0], p[1].member_id))

    recent: dict[str, deque[frozenset[str]]] = {}
    batch: list[FinishedAttempt] = []
    written = expired = 0
    first = plan[0][0] if plan else None
    last: datetime | None = None
    for when, e, theta, _k in plan:
        key, gen = generator_for(e.category)
        seen = recent.setdefault(e.member_id, deque(maxlen=max(1, gen.blueprint.exclude_recent)))
        exclude = frozenset().union(*seen) if gen.blueprint.exclude_recent else frozenset()
        paper = gen.draw(rng.getrandbits(32), exclude)
        paper = paper.model_copy(update={"blueprint_key": SIMULATED_KEY_PREFIX + key})
        seen.append(frozenset(q.id for q in paper.questions))
        responses = {q.no: model.respond(theta, q) for q in paper.questions}
        fa = _finished(rng, e.member_id, paper, when, responses)
        expired += fa.status == "expired"
        last = fa.submitted_at if last is None or fa.submitted_at > last else last
        batch.append(fa)
        if len(batch) >= _BATCH:
            store.add_finished_attempts(batch)
            written += len(batch)
            batch = []
            if progress:
                progress(written, len(plan))
    if batch:
        store.add_finished_attempts(batch)
        written += len(batch)
        if progress:
            progress(written, len(plan))
    return SimulationResult(len(new), n_branches, written, expired, first, last)


def _finished(
    rng: random.Random, member_id: str, paper: Paper, when: datetime, responses: dict[int, Response]
) -> FinishedAttempt:
    """Timing: most finish in 40–90 % of the time; one in fifty is still typing at the deadline."""
    limit = paper.time_limit_s
    if rng.random() < 0.02:
        return FinishedAttempt(member_id, paper, when, when + timedelta(seconds=limit), responses, "expired")
    used = limit * min(0.98, max(0.15, rng.gauss(0.6, 0.15)))
    return FinishedAttempt(member_id, paper, when, when + timedelta(seconds=round(used)), responses, "submitted")
