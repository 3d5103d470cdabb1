"""Scoring a paper's responses: pure functions of the frozen paper and what was answered.

Responses are what the kiosk stores, one per question number:

* single: one letter (``"B"``); multiple: the chosen letters (``"AC"``, any order);
* judge: ``True`` / ``False``;
* fill: a list of strings, one per blank;
* ``None`` (or absent): not answered.

Marks are exact fractions internally (a ``per_option`` mark of 3 points over a key of
three letters is 1 point a letter, but 2 points over three letters is not a binary float)
and rounded to two decimals only when reported, so that totals never drift.

A :class:`Scorer` compiles a paper once into per-question checks; scoring an answer sheet
is then a loop over precomputed keys, which is what a report over tens of thousands of
attempts needs.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

from .models import Paper, PaperQuestion

__all__ = [
    "QuestionMark",
    "Response",
    "Score",
    "Scorer",
    "is_answered",
    "normalise_blank",
    "score_paper",
]

Response = str | bool | Sequence[str] | None

_STRIP_TRAILING = frozenset("。．.，,、；;：:！!？?…")


@lru_cache(maxsize=65536)
def normalise_blank(text: str) -> str:
    """How a fill blank is compared: NFKC, no white space, no trailing punctuation, case-folded.

    NFKC makes full-width letters and digits half-width (``１９２１`` = ``1921``); white space
    anywhere is dropped because members type 中 国 共 产 党 as often as 中国共产党.
    """
    t = unicodedata.normalize("NFKC", text)
    t = "".join(ch for ch in t if not ch.isspace())
    while t and (t[-1] in _STRIP_TRAILING or unicodedata.category(t[-1]).startswith("P")):
        t = t[:-1]
    return t.casefold()


def is_answered(response: Response) -> bool:
    """True when a response says something (an empty fill or empty choice is no answer)."""
    if response is None:
        return False
    if isinstance(response, bool):
        return True
    if isinstance(response, str):
        return bool(response.strip())
    if isinstance(response, list | tuple):
        return any(isinstance(r, str) and r.strip() for r in response)
    return False  # anything else (a stray number from a hand-edited file) says nothing


@dataclass(frozen=True, slots=True)
class QuestionMark:
    """The mark of one question, in integer units of ``1/unit`` point (exact, cheap to make)."""

    no: int
    id: str
    topic: str
    full: int
    """What the question is worth, in units."""
    got: int
    """What the response earned, in units."""
    unit: int
    answered: bool

    @property
    def points(self) -> Fraction:
        return Fraction(self.full, self.unit)

    @property
    def awarded(self) -> Fraction:
        return Fraction(self.got, self.unit)

    @property
    def correct(self) -> bool:
        return self.got == self.full


@dataclass(frozen=True)
class Score:
    """The result of one answer sheet."""

    marks: tuple[QuestionMark, ...]
    total: Fraction
    max_total: Fraction
    pass_mark: Fraction
    by_topic: dict[str, tuple[Fraction, Fraction]] = field(default_factory=dict)
    """Top-level topic (bank) → (awarded, possible)."""

    @property
    def passed(self) -> bool:
        return self.total >= self.pass_mark

    @property
    def score(self) -> float:
        return round(float(self.total), 2)

    @property
    def max_score(self) -> float:
        return round(float(self.max_total), 2)

    def subtotals(self, depth: int = 1) -> dict[str, tuple[float, float]]:
        """Awarded and possible points per topic, cut at ``depth`` path segments."""
        acc: dict[str, list[Fraction]] = {}
        for m in self.marks:
            key = "/".join(m.topic.split("/")[:depth])
            a = acc.setdefault(key, [Fraction(0), Fraction(0)])
            a[0] += m.awarded
            a[1] += m.points
        return {k: (round(float(v[0]), 2), round(float(v[1]), 2)) for k, v in acc.items()}


@lru_cache(maxsize=1024)
def _letters_of(text: str) -> frozenset[str] | None:
    s = frozenset(ch for ch in text.upper() if "A" <= ch <= "H")
    return s or None


def _letters(response: Response) -> frozenset[str] | None:
    if isinstance(response, str):
        return _letters_of(response)
    if isinstance(response, list | tuple):
        s = frozenset(x.strip().upper() for x in response if isinstance(x, str) and x.strip())
        return s or None
    return None


def _check_single(q: PaperQuestion, full: int) -> Callable[[Response], int]:
    key = str(q.answer)

    def check(r: Response) -> int:
        return full if isinstance(r, str) and r.strip().upper() == key else 0

    return check


def _check_judge(q: PaperQuestion, full: int) -> Callable[[Response], int]:
    key = bool(q.answer)

    def check(r: Response) -> int:
        return full if isinstance(r, bool) and r is key else 0

    return check


def _check_multiple(q: PaperQuestion, full: int) -> Callable[[Response], int]:
    key = frozenset(str(q.answer))
    rule = q.scoring
    per = full // len(key)

    def check(r: Response) -> int:
        chosen = _letters(r)
        if chosen is None or not chosen <= key:
            return 0  # unanswered, or any wrong choice
        if chosen == key:
            return full
        if rule == "half":
            return full // 2
        if rule == "per_option":
            return per * len(chosen)
        return 0

    return check


def _check_fill(q: PaperQuestion, full: int) -> Callable[[Response], int]:
    assert isinstance(q.answer, tuple)
    accepted = [frozenset(normalise_blank(s) for s in blank) for blank in q.answer]
    n = len(accepted)
    per = full // n
    any_order = q.any_order

    def check(r: Response) -> int:
        if isinstance(r, str):
            r = [r]
        if not isinstance(r, list | tuple):
            return 0
        given = [normalise_blank(x) if isinstance(x, str) else "" for x in r[:n]]
        given += [""] * (n - len(given))
        if not any_order:
            return per * sum(1 for g, acc in zip(given, accepted, strict=True) if g and g in acc)
        return per * _max_matching(given, accepted)

    return check


def _max_matching(given: list[str], accepted: list[frozenset[str]]) -> int:
    """Most blanks that can be matched one-to-one to accepted entries (any order)."""
    owner: dict[int, int] = {}

    def try_assign(i: int, seen: set[int]) -> bool:
        for j, acc in enumerate(accepted):
            if j in seen or given[i] not in acc:
                continue
            seen.add(j)
            if j not in owner or try_assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(1 for i, g in enumerate(given) if g and try_assign(i, set()))


_CHECKERS = {"single": _check_single, "judge": _check_judge, "multiple": _check_multiple, "fill": _check_fill}


class Scorer:
    """A paper compiled for scoring many answer sheets.

    Marks are counted in integer units of ``1/unit`` point, where ``unit`` is chosen so that
    every half mark, per-option share and per-blank share is whole: integer sums are exact
    and several times faster than fractions.
    """

    def __init__(self, paper: Paper) -> None:
        self.paper = paper
        points = [Fraction(str(q.points)) for q in paper.questions]
        denominator = math.lcm(1, *(p.denominator for p in points))
        self.unit = unit = 2520 * denominator  # 2520 = lcm(1..10): halves, up to 8 letters, 10 blanks
        self._checks: list[tuple[PaperQuestion, Callable[[Response], int], int, str]] = []
        for q, p in zip(paper.questions, points, strict=True):
            full = int(p * unit)
            self._checks.append((q, _CHECKERS[q.type](q, full), full, q.topic.split("/", 1)[0]))
        self._max = Fraction(sum(c[2] for c in self._checks), unit)
        pairs = list(zip(paper.questions, self._checks, strict=True))
        self._singles = [(q.no, q.answer, c[2]) for q, c in pairs if q.type == "single"]
        # judge keys are bools compared by identity, so a stray 1 never counts as True
        self._judges = [(q.no, q.answer, c[2]) for q, c in pairs if q.type == "judge"]
        self._other = [(q.no, c[1]) for q, c in pairs if q.type not in ("single", "judge")]
        self._pass = Fraction(str(paper.pass_mark))

    def score(self, responses: Mapping[int, Response]) -> Score:
        """Score responses keyed by question number (1-based)."""
        unit = self.unit
        marks = []
        total = 0
        by_topic: dict[str, list[int]] = {}
        for q, check, full, top in self._checks:
            r = responses.get(q.no)
            answered = is_answered(r)
            got = check(r) if answered else 0
            total += got
            marks.append(QuestionMark(q.no, q.id, q.topic, full, got, unit, answered))
            acc = by_topic.get(top)
            if acc is None:
                acc = by_topic[top] = [0, 0]
            acc[0] += got
            acc[1] += full
        return Score(
            tuple(marks),
            Fraction(total, unit),
            self._max,
            self._pass,
            {k: (Fraction(a, unit), Fraction(p, unit)) for k, (a, p) in by_topic.items()},
        )

    def total(self, responses: Mapping[int, Response]) -> Fraction:
        """Only the total: the fast path for reports and benchmarks.

        Single and judge questions, most of a paper, are compared inline against a
        canonical key instead of through a per-question call.
        """
        get = responses.get
        total = 0
        for no, key, full in self._singles:
            r = get(no)
            if r == key or (r.__class__ is str and r.strip().upper() == key):
                total += full
        for no, truth, full in self._judges:
            if get(no) is truth:
                total += full
        for no, check in self._other:
            r = get(no)
            if r is not None:
                total += check(r)
        return Fraction(total, self.unit)


def score_paper(paper: Paper, responses: Mapping[int, Response]) -> Score:
    """Score one answer sheet (see :class:`Scorer` for many)."""
    return Scorer(paper).score(responses)
