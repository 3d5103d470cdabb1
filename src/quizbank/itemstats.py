"""Item statistics as Moodle's quiz statistics report computes them, and Cronbach's α.

The committee wants to know which questions misbehave: too easy, too hard, not separating
members who know the material from those who do not, or — worst — a wrong key, where the
members who do well on the rest of the test do *worse* on this question. Moodle's
definitions are used because they are documented, widely taught to exam editors, and
corrected for the item's own contribution to the total
(https://docs.moodle.org/dev/Quiz_statistics_calculations):

* **facility** ``F = mean(x) / max`` (Moodle: ``(x̄ − x_min)/(x_max − x_min)`` with ``x_min = 0``);
* **discrimination** ``D = r(x, X)``, the Pearson correlation between the item's mark ``x``
  and the *rest of the test* ``X = T − x``; using ``T`` itself would let the item correlate
  with itself and flatter short papers;
* **discriminative efficiency** ``DE = C(x, X) / C_max(x, X)``: the covariance as a share of
  the largest covariance the same marginal distributions allow, which pairs the sorted
  marks with the sorted rest scores (Moodle's ``C_max``). A hard question cannot reach
  ``D = 1``; DE says how close it comes to what its facility permits;
* **Cronbach's α** ``k/(k−1) · (1 − Σ V(x_j) / V(T))`` over the *positions* of one blueprint's
  papers. Our papers are drawn at random, so no two members answer the same set of
  questions; Moodle faces the same with random questions and computes the test-level
  statistics per slot, which is what we do: position 7 of every member paper is "a 2-point
  single-choice question", whichever question was drawn there.

All sums use :func:`math.fsum` (exact rounding) so that the figures do not depend on the
order attempts were read in; variances use ``n − 1`` (Moodle does too); correlations and
ratios do not depend on that choice.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from operator import mul, sub

__all__ = [
    "FLAG_LABELS",
    "MIN_MEMBERS",
    "AlphaCollector",
    "ItemCollector",
    "ItemStat",
    "ItemSums",
    "TestStat",
    "cronbach_alpha",
    "flags_for",
    "item_stat",
    "item_stat_from_sums",
]

#: Below this many distinct members an item is shown but not judged: with 20 answers a
#: correlation of 0.2 is well within noise.
MIN_MEMBERS = 30
TOO_EASY = 0.9
TOO_HARD = 0.2
WEAK = 0.2

#: Flag codes (for JSON and tests) and how the workbook prints them.
FLAG_LABELS: dict[str, str] = {
    "negative": "区分度为负：请核对答案",
    "weak": "区分度弱",
    "too_easy": "过易",
    "too_hard": "过难",
}


@dataclass(frozen=True)
class ItemStat:
    """The statistics of one question over the attempts that contained it."""

    question_id: str
    n: int
    """Times answered (one per attempt whose paper contained the question)."""
    members: int
    """Distinct members among those attempts: the sample size the flags are judged on."""
    max_points: float
    mean: float
    """Mean mark in points."""
    facility: float | None
    """Mean mark ÷ maximum, 0–1; None when the question is worth nothing."""
    sd: float | None
    """Sample standard deviation of the mark (n − 1); None below two answers."""
    discrimination: float | None
    """Correlation of the mark with the rest of the test; None when either does not vary."""
    efficiency: float | None
    """Covariance ÷ the largest covariance possible with these marginals; None when that is 0."""
    flags: tuple[str, ...] = ()
    """Codes of :data:`FLAG_LABELS`, most serious first; empty when unjudged."""
    judged: bool = True
    """False when fewer than :data:`MIN_MEMBERS` members answered: shown, not flagged."""


def _cov(xs: Sequence[float], ys: Sequence[float], n: int) -> float:
    """Sample covariance, exact-rounded: (Σxy − Σx·Σy/n)/(n − 1)."""
    sx, sy = math.fsum(xs), math.fsum(ys)
    return (math.fsum(map(mul, xs, ys)) - sx * sy / n) / (n - 1)


def item_stat(
    question_id: str,
    marks: Sequence[float],
    totals: Sequence[float],
    max_points: float,
    *,
    members: int | None = None,
    min_members: int = MIN_MEMBERS,
) -> ItemStat:
    """Statistics of one question.

    Args:
        question_id: the bank id.
        marks: the mark of each response, in points.
        totals: the total score of the attempt each response belongs to (same order).
        max_points: what the question is worth.
        members: distinct members who answered (default: one per response).
        min_members: below this, the item is not flagged.
    """
    n = len(marks)
    if len(totals) != n:
        raise ValueError("marks and totals differ in length")
    sums = ItemSums(n, math.fsum(marks))
    if n >= 2:
        rest = list(map(sub, totals, marks))
        sums = ItemSums(
            n,
            sums.marks,
            math.fsum(map(mul, marks, marks)),
            math.fsum(rest),
            math.fsum(map(mul, rest, rest)),
            math.fsum(map(mul, marks, rest)),
            math.fsum(map(mul, sorted(marks), sorted(rest))),
        )
    return item_stat_from_sums(question_id, sums, max_points, members=members, min_members=min_members)


@dataclass(frozen=True)
class ItemSums:
    """What :func:`item_stat` needs of a question's responses: exact sums (:func:`math.fsum`) over them.

    With ``x`` the marks and ``r = T − x`` the rest scores (each computed in floating point
    as listed), and ``x↑``, ``r↑`` the same sorted: Σx, Σx², Σr, Σr², Σxr and Σx↑r↑.
    The sums other than Σx are needed from two responses on.
    """

    n: int
    marks: float
    marks_sq: float = 0.0
    rest: float = 0.0
    rest_sq: float = 0.0
    cross: float = 0.0
    cross_sorted: float = 0.0


def item_stat_from_sums(
    question_id: str, sums: ItemSums, max_points: float, *, members: int | None = None, min_members: int = MIN_MEMBERS
) -> ItemStat:
    """:func:`item_stat` from the sums of the responses (the same figures, to the last bit)."""
    n = sums.n
    members = n if members is None else members
    mean = sums.marks / n if n else 0.0
    facility = mean / max_points if n and max_points > 0 else None
    sd = disc = eff = None
    if n >= 2:
        sx, sr = sums.marks, sums.rest
        vx = (sums.marks_sq - sx * sx / n) / (n - 1)
        vr = (sums.rest_sq - sr * sr / n) / (n - 1)
        sd = math.sqrt(max(vx, 0.0))
        if vx > 0 and vr > 0:
            c = (sums.cross - sx * sr / n) / (n - 1)
            disc = max(-1.0, min(1.0, c / math.sqrt(vx * vr)))
            cmax = (sums.cross_sorted - sx * sr / n) / (n - 1)
            eff = c / cmax if cmax > 0 else None
    judged = members >= min_members
    stat = ItemStat(question_id, n, members, max_points, mean, facility, sd, disc, eff, (), judged)
    return replace(stat, flags=flags_for(stat)) if judged else stat


def flags_for(stat: ItemStat) -> tuple[str, ...]:
    """What is wrong with a (judged) item: negative or weak discrimination, too easy or hard.

    A negative discrimination comes first because it usually means the key is wrong: the
    members who know the rest of the material best choose something else.
    """
    out: list[str] = []
    if stat.discrimination is not None:
        if stat.discrimination < 0:
            out.append("negative")
        elif stat.discrimination < WEAK:
            out.append("weak")
    if stat.facility is not None:
        if stat.facility > TOO_EASY:
            out.append("too_easy")
        elif stat.facility < TOO_HARD:
            out.append("too_hard")
    return tuple(out)


class _Item:
    """The responses to one question: marks and attempt totals as C doubles, the members who answered."""

    __slots__ = ("marks", "max_points", "members", "totals")

    def __init__(self, max_points: float) -> None:
        self.marks = array("d")
        self.totals = array("d")
        self.members = array("q")  # counted distinct at the end: cheaper than a set per response
        self.max_points = max_points


class ItemCollector:
    """Collects responses one at a time and computes :func:`item_stat` for every question.

    The marks and totals are kept per question (two doubles a response: 29 MB for the
    1.8 million responses of the benchmark, in :class:`array.array` rather than lists of
    float objects, which would take four times that) because the discriminative
    efficiency needs their sorted order, which no running sum gives.

    A question worth different points on different papers (two blueprints may weigh a
    single-choice question differently) is analysed once per value: facility and
    discrimination are only meaningful over marks on one scale.
    """

    def __init__(self) -> None:
        self._items: dict[str, _Item] = {}
        self._other: dict[tuple[str, float], _Item] = {}

    def add(self, question_id: str, mark: float, total: float, max_points: float, member: int) -> None:
        """One response: its mark, the total of its attempt, what the question is worth, who answered (a number per member)."""
        item = self._items.get(question_id)
        if item is None:
            item = self._items[question_id] = _Item(max_points)
        elif item.max_points != max_points:
            item = self._other.get((question_id, max_points)) or self._other.setdefault(
                (question_id, max_points), _Item(max_points)
            )
        item.marks.append(mark)
        item.totals.append(total)
        item.members.append(member)

    def add_attempt(self, member: int, total: float, marks: Iterable[tuple[str, float, float]]) -> None:
        """All responses of one attempt: ``(question_id, mark, max_points)`` each."""
        for qid, mark, max_points in marks:
            self.add(qid, mark, total, max_points, member)

    def __len__(self) -> int:
        return len(self._items) + len(self._other)

    def question_ids(self) -> list[str]:
        return sorted(self._items)

    def stats(self, min_members: int = MIN_MEMBERS) -> list[ItemStat]:
        """One :class:`ItemStat` per question (and points value) seen, by question id."""
        every = [((qid, it.max_points), it) for qid, it in self._items.items()] + list(self._other.items())
        return [
            item_stat(qid, it.marks, it.totals, it.max_points, members=len(set(it.members)), min_members=min_members)
            for (qid, _), it in sorted(every, key=lambda kv: kv[0])
        ]


@dataclass(frozen=True)
class TestStat:
    """The test-level line of one blueprint: attempts, mean, spread and reliability."""

    blueprint: str
    attempts: int
    items: int
    """Positions on the paper (k in Cronbach's α)."""
    max_score: float
    mean: float
    sd: float | None
    alpha: float | None
    """Cronbach's α over positions; None below two attempts or without variance."""
    sem: float | None
    """Standard error of measurement, SD·√(1 − α)."""


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's α of a complete matrix: one row per attempt, one column per item."""
    n = len(rows)
    if n < 2:
        return None
    k = len(rows[0])
    if k < 2 or any(len(r) != k for r in rows):
        return None
    item_var = math.fsum(_cov(col, col, n) for col in zip(*rows, strict=True))
    totals = [math.fsum(r) for r in rows]
    total_var = _cov(totals, totals, n)
    if total_var <= 0:
        return None
    return k / (k - 1) * (1 - item_var / total_var)


class AlphaCollector:
    """Running sums for Cronbach's α of one blueprint, fed a mark at a time.

    Keeping per-position sums instead of the matrix makes α cost almost nothing in memory.
    A position an attempt has no mark for counts 0 (an unanswered question earns nothing).
    Marks are whole, half or third points, so the running float sums stay exact far below
    the two decimals printed; the totals are kept to compute V(T) in two passes.
    """

    def __init__(self, blueprint: str, max_score: float = 0.0) -> None:
        self.blueprint = blueprint
        self.max_score = max_score
        self.sums: dict[int, list[float]] = {}
        """Position → [Σ mark, Σ mark²]; callers with many marks may add to it directly."""
        self._t = array("d")

    @property
    def n(self) -> int:
        return len(self._t)

    def add_attempt(self, total: float, max_score: float = 0.0) -> None:
        """Count one attempt with its total score (its marks come through :meth:`add_mark`)."""
        self._t.append(total)
        if max_score > self.max_score:
            self.max_score = max_score

    def add_mark(self, position: int, mark: float) -> None:
        sums = self.sums.get(position)
        if sums is None:
            sums = self.sums[position] = [0.0, 0.0]
        sums[0] += mark
        sums[1] += mark * mark

    def add(self, marks: Sequence[float]) -> None:
        """A whole attempt: its marks by position (``marks[0]`` is question 1); the total is their sum."""
        self.add_attempt(math.fsum(marks))
        for j, x in enumerate(marks, 1):
            self.add_mark(j, x)

    def result(self) -> TestStat:
        n, k = self.n, len(self.sums)
        mean = math.fsum(self._t) / n if n else 0.0
        if n < 2:
            return TestStat(self.blueprint, n, k, self.max_score, mean, None, None, None)
        tv = _cov(self._t, self._t, n)
        sd = math.sqrt(max(tv, 0.0))
        alpha = sem = None
        if tv > 0 and k >= 2:
            iv = math.fsum((ss - s * s / n) / (n - 1) for s, ss in self.sums.values())
            alpha = k / (k - 1) * (1 - iv / tv)
            sem = sd * math.sqrt(max(0.0, 1 - alpha))
        return TestStat(self.blueprint, n, k, self.max_score, mean, sd, alpha, sem)
