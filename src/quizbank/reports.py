"""The committee's figures: coverage, branch scores, weak topics and misbehaving questions.

This module turns the store's roster and attempts into a :class:`Report` — plain data, no
spreadsheet — which :mod:`quizbank.report_xlsx` lays out as the workbook and
:func:`summary_json` / :func:`summary_csv` print. Keeping the figures apart from the layout
lets the tests recompute every figure independently and compare it with both.

Definitions (they are printed in the workbook too, so nobody has to guess):

* **Who counts.** The roster's active members, plus inactive ones who sat a test in the
  period (they were members then). A member counts in their *current* branch, so the 汇总,
  the branch sheet and 知识点 always agree about where a member belongs.
* **Which attempts count.** Attempts *started* in the period (the day a member sat the
  test; ``quizbank results --from/--to`` select by the same moment, so the two agree) and
  finished: submitted, or expired — handed in as they stood at the deadline. Attempts
  still in progress do not count.
* **A member's score** is their best attempt of the period, on a 100-point scale (score ÷
  maximum × 100; the shipped papers are 100 points, so this is the score). Members may
  retake the test at the kiosk until they know the material, which is the point of 应知应会;
  the best attempt is also the one that decides whether they passed (及格) in the period.
  The branch sheet shows the latest attempt as well.
* **及格率 / 优秀率** are shares of the members tested: passed by the paper's own pass mark;
  优秀 is 90 or more on the 100-point scale. **参考率** is tested ÷ members.
* **名次** ranks branches by mean score (ties share a rank; a branch nobody from sat a test has none).
* **知识点** correct rate: points earned ÷ points possible on the questions of that topic, over
  every counted attempt of the branch's members. An unanswered question scores 0.
* **题目分析**: see :mod:`quizbank.itemstats`; every counted attempt whose paper held the question
  counts once (unanswered = 0 marks, as Moodle does).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from typing import Any, Protocol

from .errors import NotFoundError
from .itemstats import MIN_MEMBERS, AlphaCollector, ItemCollector, ItemStat, TestStat
from .markstats import Aggregate, MarkTable, aggregate
from .models import Paper
from .periods import Period, now_local, zone_label

__all__ = [
    "COUNTED_STATUSES",
    "EXCELLENT",
    "SUMMARY_FIELDS",
    "BranchSummary",
    "ItemRow",
    "MarkRow",
    "MemberRow",
    "QuestionInfo",
    "Report",
    "TopicRow",
    "branch_sort_key",
    "build_report",
    "compute_report",
    "marks_from_records",
    "summary_csv",
    "summary_json",
    "summary_records",
]

#: Attempt statuses that carry a score for the period (an expired attempt was submitted as it stood).
COUNTED_STATUSES = frozenset({"submitted", "expired"})
#: 优秀: at least this on the 100-point scale.
EXCELLENT = 90.0
TOTAL_LABEL = "合计"


# ---------------------------------------------------------------------------- inputs
class MemberLike(Protocol):
    """What a report needs of a roster entry (``quizbank.store.Member`` has it)."""

    @property
    def member_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def branch(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def active(self) -> bool: ...


class AnswerLike(Protocol):
    @property
    def no(self) -> int: ...
    @property
    def id(self) -> str: ...
    @property
    def points_awarded(self) -> float | None: ...


class AttemptLike(Protocol):
    """What a report needs of an attempt (``quizbank.store.AttemptRecord`` has it); answers are not needed."""

    @property
    def attempt_id(self) -> int: ...
    @property
    def member_id(self) -> str: ...
    @property
    def branch(self) -> str: ...
    @property
    def paper_id(self) -> str: ...
    @property
    def blueprint(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def submitted_at(self) -> datetime | None: ...
    @property
    def status(self) -> str: ...
    @property
    def score(self) -> float | None: ...
    @property
    def max_score(self) -> float: ...
    @property
    def passed(self) -> bool | None: ...


class AttemptWithAnswers(AttemptLike, Protocol):
    @property
    def answers(self) -> Sequence[AnswerLike]: ...


#: One question of one attempt: (attempt_id, no, question_id, points, points_awarded).
MarkRow = tuple[int, int, str, float, "float | None"]


@dataclass(frozen=True, slots=True)
class QuestionInfo:
    """What 题目分析 and 知识点 say about a question, as frozen on a paper."""

    type: str
    topic: str
    difficulty: str
    stem: str


UNKNOWN_QUESTION = QuestionInfo("", "（未知）", "", "")


class MarkVectorsLike(Protocol):
    """What :meth:`quizbank.store.Store.mark_vectors` returns."""

    @property
    def attempt_ids(self) -> list[int]: ...
    @property
    def counts(self) -> list[int]: ...
    @property
    def data(self) -> bytearray: ...
    @property
    def missing(self) -> list[int]: ...
    @property
    def questions(self) -> dict[int, str]: ...


class ReportStore(Protocol):
    """The part of :class:`quizbank.store.Store` a report reads."""

    def members(self, branch: str | None = None, *, include_inactive: bool = False) -> Sequence[MemberLike]: ...
    def branches(self) -> list[str]: ...
    def finished_attempts(
        self, *, since: datetime | None = None, until: datetime | None = None, branch: str | None = None
    ) -> Sequence[AttemptLike]: ...
    def answer_marks(self, attempt_ids: Sequence[int]) -> Iterable[MarkRow]: ...
    def mark_vectors(self, attempt_ids: Sequence[int]) -> MarkVectorsLike: ...
    def question_outlines(self, question_ids: Sequence[str]) -> Mapping[str, Mapping[str, Any]]: ...


def marks_from_records(
    attempts: Iterable[AttemptWithAnswers], paper_of: Callable[[str], Paper]
) -> tuple[list[MarkRow], dict[str, QuestionInfo]]:
    """Mark rows and question facts from attempt records with answers and their papers.

    The store reads these in bulk (:meth:`~quizbank.store.Store.answer_marks`); this is the
    same from ``AttemptRecord`` objects, for callers (and tests) that already hold them.
    """
    rows: list[MarkRow] = []
    info: dict[str, QuestionInfo] = {}
    for a in attempts:
        paper = paper_of(a.paper_id)
        points = {q.no: q.points for q in paper.questions}
        for q in paper.questions:
            info.setdefault(q.id, QuestionInfo(q.type, q.topic, q.difficulty, q.stem))
        for ans in a.answers:
            rows.append((a.attempt_id, ans.no, ans.id, points[ans.no], ans.points_awarded))
    return rows, info


# ---------------------------------------------------------------------------- outputs
@dataclass(frozen=True)
class MemberRow:
    """One line of a branch sheet (and of 未参考 when ``tests == 0`` or ``not tested_in_year``)."""

    member_id: str
    name: str
    branch: str
    category: str
    active: bool
    tests: int
    """Counted attempts in the period."""
    latest: float | None
    """Latest attempt's score (100-point scale)."""
    best: float | None
    passed: bool | None
    """The best attempt passed; None when not tested."""
    last_date: date | None
    """Day (local) the latest counted attempt was started."""
    minutes: float | None
    """Minutes the latest attempt took (start to submission)."""
    year_tests: int
    """Counted attempts from 1 January of the period's last year to its end (全覆盖)."""
    year_last_date: date | None


@dataclass(frozen=True)
class BranchSummary:
    """One row of 汇总 (also the total row, with ``branch == "合计"`` and no rank)."""

    branch: str
    members: int
    tested: int
    rate: float | None
    mean: float | None
    median: float | None
    best: float | None
    worst: float | None
    pass_rate: float | None
    excellent_rate: float | None
    rank: int | None = None


@dataclass(frozen=True)
class TopicRow:
    """Correct rate of one topic (bank or bank/subtopic) per branch and overall."""

    topic: str
    depth: int
    rates: dict[str, float | None]
    """Branch → points earned ÷ possible, None where nobody of the branch met the topic."""
    overall: float | None
    responses: int
    """Questions of the topic answered (or left blank) in counted attempts, all branches."""
    counts: dict[str, int] = field(default_factory=dict)
    """Branch → the same count for that branch: how much each rate rests on."""


@dataclass(frozen=True)
class ItemRow:
    """A question of 题目分析: what the paper says about it plus its statistics."""

    info: QuestionInfo
    stat: ItemStat


@dataclass
class Report:
    """Everything the workbook and the summary print, computed once."""

    period: Period
    generated_at: datetime
    branch_filter: str | None
    branches: list[str]
    summary: list[BranchSummary]
    total: BranchSummary
    members: dict[str, list[MemberRow]]
    """Branch → its members, by member id."""
    untested: list[MemberRow]
    """Members with no counted attempt in the period or none in the year so far."""
    topics: list[TopicRow]
    items: list[ItemRow]
    tests: list[TestStat]
    attempts: int
    """Counted attempts in the period."""
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """No counted attempt in the period: the workbook says so instead of showing zeros."""
        return self.attempts == 0

    @property
    def zone(self) -> str:
        return zone_label(self.period.start)


# ---------------------------------------------------------------------------- computing
def _scale(score: float, max_score: float) -> float:
    return score * 100.0 / max_score if max_score else 0.0


def _minutes(a: AttemptLike) -> float | None:
    if a.submitted_at is None:
        return None
    return max(0.0, (a.submitted_at - a.started_at).total_seconds() / 60.0)


def counted(a: AttemptLike, period: Period) -> bool:
    """A finished attempt with a score, started inside the period."""
    return a.status in COUNTED_STATUSES and a.score is not None and a.submitted_at is not None and a.started_at in period


def _ranks(values: dict[str, float]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4) on the values as printed (two decimals)."""
    rounded = {k: round(v, 2) for k, v in values.items()}
    order = sorted(rounded.values(), reverse=True)
    return {k: 1 + order.index(v) for k, v in rounded.items()}


def _summarise(label: str, rows: Sequence[MemberRow]) -> BranchSummary:
    scores = [r.best for r in rows if r.best is not None]
    n, t = len(rows), len(scores)
    if not t:
        return BranchSummary(label, n, 0, 0.0 if n else None, None, None, None, None, None, None)
    return BranchSummary(
        label,
        n,
        t,
        t / n,
        math.fsum(scores) / t,
        float(statistics.median(scores)),
        max(scores),
        min(scores),
        sum(1 for r in rows if r.passed) / t,
        sum(1 for s in scores if s >= EXCELLENT - 1e-9) / t,
    )


def compute_report(
    period: Period,
    members: Iterable[MemberLike],
    attempts: Iterable[AttemptLike],
    year_attempts: Iterable[AttemptLike],
    marks: Iterable[MarkRow] | MarkTable,
    questions: Callable[[Sequence[str]], Mapping[str, QuestionInfo]] | Mapping[str, QuestionInfo],
    *,
    branch: str | None = None,
    generated_at: datetime | None = None,
    min_members: int | None = None,
) -> Report:
    """The report from plain data (:func:`build_report` reads it from the store).

    Args:
        period: the reporting period.
        members: the roster, inactive members included (they count only if they sat a test).
        attempts: attempts, at least those started in the period (others are ignored).
        year_attempts: attempts from 1 January of the period's last year to its end, for the
            全覆盖 column; may include the period's own.
        marks: every question of the counted attempts (rows of other attempts are ignored), as
            rows in attempt and question order, or as a :class:`~quizbank.markstats.MarkTable`
            (the same figures, faster).
        questions: question facts by id, or a function giving them for the ids met.
        branch: report on this branch only.
        generated_at: the time printed in the header (default: now).
        min_members: the item-flagging threshold (default :data:`quizbank.itemstats.MIN_MEMBERS`).
    """
    roster: dict[str, MemberLike] = {m.member_id: m for m in members if branch is None or m.branch == branch}
    year = period.year_to_end()
    year_count: dict[str, int] = defaultdict(int)
    year_last: dict[str, datetime] = {}
    for a in year_attempts:
        if a.member_id in roster and counted(a, year):
            year_count[a.member_id] += 1
            if a.member_id not in year_last or a.started_at > year_last[a.member_id]:
                year_last[a.member_id] = a.started_at

    # the counted attempts, and what each mark row needs to know about its attempt
    per_member: dict[str, list[AttemptLike]] = defaultdict(list)
    alphas: dict[str, AlphaCollector] = {}
    topic_acc: dict[str, dict[str, list[float]]] = defaultdict(dict)
    context: dict[int, tuple[float, str, str, int]] = {}
    member_no: dict[str, int] = {}
    for a in attempts:
        if not counted(a, period) or a.attempt_id in context:
            continue
        m = roster.get(a.member_id)
        if m is None:
            if branch is not None and a.branch != branch:
                continue
            # a member no longer on the roster at all: keep their result under the attempt's branch
            m = roster[a.member_id] = _Gone(
                a.member_id, getattr(a, "name", "") or a.member_id, a.branch, getattr(a, "category", "")
            )
        per_member[a.member_id].append(a)
        alpha = alphas.get(a.blueprint)
        if alpha is None:
            alpha = alphas[a.blueprint] = AlphaCollector(a.blueprint)
        total = float(a.score or 0.0)
        alpha.add_attempt(total, float(a.max_score))
        topic_acc.setdefault(m.branch, {})  # branches in the order first met: 知识点 adds them up in this order
        context[a.attempt_id] = (total, m.branch, a.blueprint, member_no.setdefault(a.member_id, len(member_no)))

    items: ItemCollector | Aggregate
    if isinstance(marks, MarkTable):
        items = aggregate(marks, context)
        for bp, slots in items.alpha.items():
            alphas[bp].sums.update(sorted(slots.items()))
        for b, per_question in items.topics.items():
            topic_acc[b].update(per_question)
    else:
        items = _add_marks(marks, context, topic_acc, alphas)

    qids = items.question_ids()
    info = questions(qids) if callable(questions) else questions

    # members: active ones, and inactive ones only if they sat a test in the period
    rows: dict[str, list[MemberRow]] = defaultdict(list)
    for mid, m in sorted(roster.items(), key=lambda kv: _id_key(kv[0])):
        mine = sorted(per_member.get(mid, ()), key=lambda a: (a.started_at, a.attempt_id))
        if not m.active and not mine:
            continue
        rows[m.branch].append(_member_row(m, mine, year_count.get(mid, 0), year_last.get(mid), period.tz))

    branches = sorted(rows, key=branch_sort_key)
    if branch is not None and branch not in branches:
        branches.append(branch)
    summary = [_summarise(b, rows.get(b, [])) for b in branches]
    ranks = _ranks({s.branch: s.mean for s in summary if s.mean is not None})
    summary = [_with_rank(s, ranks.get(s.branch)) for s in summary]
    everyone = [r for b in branches for r in rows.get(b, [])]
    untested = [r for r in everyone if r.tests == 0 or r.year_tests == 0]

    by_topic: dict[tuple[str, str], list[float]] = {}
    for b, per_question in topic_acc.items():
        for qid, acc in per_question.items():
            t = by_topic.setdefault((b, info.get(qid, UNKNOWN_QUESTION).topic), [0.0, 0.0, 0.0])
            t[0] += acc[0]
            t[1] += acc[1]
            t[2] += acc[2]
    threshold = MIN_MEMBERS if min_members is None else min_members
    item_rows = [ItemRow(info.get(s.question_id, UNKNOWN_QUESTION), s) for s in items.stats(threshold)]
    item_rows.sort(key=_item_order)
    return Report(
        period=period,
        generated_at=generated_at or now_local(),
        branch_filter=branch,
        branches=branches,
        summary=summary,
        total=_summarise(TOTAL_LABEL, everyone),
        members={b: rows.get(b, []) for b in branches},
        untested=untested,
        topics=_topic_rows(by_topic, branches),
        items=item_rows,
        tests=[alphas[k].result() for k in sorted(alphas)],
        attempts=len(context),
    )


def _add_marks(
    marks: Iterable[MarkRow],
    context: Mapping[int, tuple[float, str, str, int]],
    topic_acc: Mapping[str, dict[str, list[float]]],
    alphas: Mapping[str, AlphaCollector],
) -> ItemCollector:
    """The pass over every mark, a row at a time (:func:`quizbank.markstats.aggregate` does the same on columns)."""
    items = ItemCollector()
    add_item = items.add
    current = -1
    ctx = None
    for aid, no, qid, points, got in marks:
        if aid != current:
            current, raw = aid, context.get(aid)
            ctx = None if raw is None else (raw[0], topic_acc[raw[1]], alphas[raw[2]].sums, raw[3])
        if ctx is None:
            continue
        total, topics_of_branch, slots, member = ctx
        x = got or 0.0
        add_item(qid, x, total, points, member)
        sums = slots.get(no)
        if sums is None:
            sums = slots[no] = [0.0, 0.0]
        sums[0] += x
        sums[1] += x * x
        acc = topics_of_branch.get(qid)
        if acc is None:
            acc = topics_of_branch[qid] = [0.0, 0.0, 0.0]
        acc[0] += x
        acc[1] += points
        acc[2] += 1
    return items


@dataclass(frozen=True)
class _Gone:
    """A member who sat a test but is no longer in the roster (kept so their score is not lost)."""

    member_id: str
    name: str
    branch: str
    category: str
    active: bool = False


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBER_RUN = re.compile(r"[0-9]+|[零〇一二两三四五六七八九十百]+")


def _cn_number(run: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 一百零五 → 105, 12 → 12."""
    if run.isdigit():
        return int(run)
    total, current = 0, 0
    for ch in run:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch] if current else _CN_DIGITS[ch]
    return total + current


def branch_sort_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Order branches as a person would: 机关党总支, 一车间, 二车间, …, 十车间, 十一车间 (not by code point).

    Runs of digits or Chinese numerals compare as numbers, the rest as text, so names
    without a number (机关党总支) come before numbered ones that share no prefix with them.
    """
    parts: list[tuple[int, int | str]] = []
    pos = 0
    for m in _NUMBER_RUN.finditer(name):
        if m.start() > pos:
            parts.append((1, name[pos : m.start()]))
        parts.append((0, _cn_number(m.group())))
        pos = m.end()
    if pos < len(name):
        parts.append((1, name[pos:]))
    return (((1, 0) if parts and parts[0][0] == 0 else (0, 0)), *parts)


def _id_key(member_id: str) -> tuple[int, int | str]:
    """Numeric ids in numeric order (2 before 10), others after them in text order."""
    return (0, int(member_id)) if member_id.isdigit() else (1, member_id)


def _with_rank(s: BranchSummary, rank: int | None) -> BranchSummary:
    return replace(s, rank=rank)


def _day(moment: datetime, tz: tzinfo | None) -> date:
    """The calendar day of ``moment`` in the report's zone (``tz`` None: the machine's)."""
    return moment.astimezone(tz).date()


def _member_row(
    m: MemberLike, mine: list[AttemptLike], year_tests: int, year_last: datetime | None, tz: tzinfo | None
) -> MemberRow:
    if not mine:
        return MemberRow(
            m.member_id, m.name, m.branch, m.category, m.active, 0, None, None, None, None, None,
            year_tests, _day(year_last, tz) if year_last else None,
        )  # fmt: skip
    scaled = [(_scale(float(a.score or 0.0), float(a.max_score)), a) for a in mine]
    best_score = max(s for s, _ in scaled)
    latest = mine[-1]
    return MemberRow(
        member_id=m.member_id,
        name=m.name,
        branch=m.branch,
        category=m.category,
        active=m.active,
        tests=len(mine),
        latest=scaled[-1][0],
        best=best_score,
        passed=any(bool(a.passed) for a in mine),
        last_date=_day(latest.started_at, tz),
        minutes=_minutes(latest),
        year_tests=year_tests,
        year_last_date=_day(year_last, tz) if year_last else None,
    )


def _topic_rows(acc: Mapping[tuple[str, str], list[float]], branches: list[str]) -> list[TopicRow]:
    """Rows for every bank and every bank/subtopic (deeper topics fold into their second level)."""
    folded: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for (b, topic), (got, possible, n) in acc.items():
        parts = topic.split("/")
        for key in {parts[0], "/".join(parts[:2])}:
            f = folded[(b, key)]
            f[0] += got
            f[1] += possible
            f[2] += n
    names = sorted({t for _, t in folded}, key=lambda t: (t.split("/")[0], "/" in t, t))
    out = []
    for t in names:
        rates: dict[str, float | None] = {}
        counts: dict[str, int] = {}
        got = possible = n = 0.0
        for b in branches:
            cell = folded.get((b, t))
            rates[b] = cell[0] / cell[1] if cell and cell[1] else None
            counts[b] = int(cell[2]) if cell else 0
            if cell:
                got, possible, n = got + cell[0], possible + cell[1], n + cell[2]
        out.append(TopicRow(t, t.count("/") + 1, rates, got / possible if possible else None, int(n), counts))
    return out


_FLAG_ORDER = {"negative": 0, "weak": 1, "too_hard": 2, "too_easy": 3}


def _item_order(row: ItemRow) -> tuple[int, int, float, str]:
    """Misbehaving questions first — a wrong key first of all, the worst of each kind first — unjudged last."""
    s = row.stat
    if not s.judged:
        return (2, 0, 0.0, s.question_id)
    if s.flags:
        worst = min(_FLAG_ORDER[f] for f in s.flags)
        # a wrong key or a weak question: lowest discrimination first; too hard or too easy: most extreme first
        by_discrimination = worst <= _FLAG_ORDER["weak"]
        key = (s.discrimination or 0.0) if by_discrimination else -abs((s.facility or 0.5) - 0.5)
        return (0, worst, key, s.question_id)
    return (1, 0, 0.0, s.question_id)


# ---------------------------------------------------------------------------- the store
def build_report(
    store: ReportStore,
    period: Period,
    *,
    branch: str | None = None,
    generated_at: datetime | None = None,
    min_members: int | None = None,
) -> Report:
    """Read the roster and the attempts the period needs from ``store`` and compute the report.

    Raises:
        NotFoundError: ``branch`` is not a branch of the roster.
    """
    if branch is not None and branch not in store.branches():
        known = "、".join(store.branches()) or "none"
        raise NotFoundError(f"no branch {branch!r} in the roster (branches: {known})")
    members = store.members(branch, include_inactive=True)
    attempts = store.finished_attempts(since=period.start, until=period.end, branch=branch)
    year = period.year_to_end()
    year_attempts = (
        attempts if year.start == period.start else store.finished_attempts(since=year.start, until=year.end, branch=branch)
    )
    wanted = [a.attempt_id for a in attempts if counted(a, period)]

    def questions(qids: Sequence[str]) -> dict[str, QuestionInfo]:
        return {
            qid: QuestionInfo(
                str(o.get("type") or ""), str(o.get("topic") or ""), str(o.get("difficulty") or ""), str(o.get("stem") or "")
            )
            for qid, o in store.question_outlines(qids).items()
        }

    return compute_report(
        period,
        members,
        attempts,
        year_attempts,
        _marks(store, wanted),
        questions,
        branch=branch,
        generated_at=generated_at,
        min_members=min_members,
    )


def _marks(store: ReportStore, attempt_ids: Sequence[int]) -> Iterable[MarkRow] | MarkTable:
    """The marks of these attempts: their marks vectors, or the answer rows when one of them has none."""
    found = store.mark_vectors(attempt_ids)
    if found.missing:  # closed behind the program's back (`quizbank verify` says so): the slow way, all of them
        return store.answer_marks(attempt_ids)
    return MarkTable.from_vectors(found.attempt_ids, found.counts, found.data, found.questions)


# ---------------------------------------------------------------------------- summary output
#: Columns of ``report --summary --csv`` (and keys of ``--json``), in 汇总 order.
SUMMARY_FIELDS: tuple[tuple[str, str], ...] = (
    ("branch", "党支部"),
    ("members", "党员数"),
    ("tested", "参考人数"),
    ("rate", "参考率"),
    ("mean", "平均分"),
    ("median", "中位数"),
    ("best", "最高分"),
    ("worst", "最低分"),
    ("pass_rate", "及格率"),
    ("excellent_rate", "优秀率"),
    ("rank", "名次"),
)


def _r(x: float | None, places: int) -> float | None:
    return None if x is None else round(x, places)


def summary_records(report: Report) -> list[dict[str, Any]]:
    """The 汇总 rows (branches, then the total) as dicts: scores to 2 places, rates to 4."""
    out = []
    for s in [*report.summary, report.total]:
        out.append(
            {
                "branch": s.branch,
                "members": s.members,
                "tested": s.tested,
                "rate": _r(s.rate, 4),
                "mean": _r(s.mean, 2),
                "median": _r(s.median, 2),
                "best": _r(s.best, 2),
                "worst": _r(s.worst, 2),
                "pass_rate": _r(s.pass_rate, 4),
                "excellent_rate": _r(s.excellent_rate, 4),
                "rank": s.rank,
            }
        )
    return out


def summary_json(report: Report) -> str:
    """``report --summary --json``: the period, the zone, the rows and the total."""
    rows = summary_records(report)
    return json.dumps(
        {
            "period": report.period.label,
            "from": report.period.first_day.isoformat(),
            "to": report.period.last_day.isoformat(),
            "zone": report.zone,
            "generated_at": report.generated_at.isoformat(timespec="seconds"),
            "attempts": report.attempts,
            "branches": rows[:-1],
            "total": rows[-1],
        },
        ensure_ascii=False,
        indent=2,
    )


def summary_csv(report: Report) -> str:
    """``report --summary --csv``: a header of Chinese column names, then one row per branch and 合计."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([cn for _, cn in SUMMARY_FIELDS])
    for rec in summary_records(report):
        w.writerow(["" if rec[k] is None else rec[k] for k, _ in SUMMARY_FIELDS])
    return buf.getvalue()
