"""Item statistics against values worked out by hand on the fixed data set (see fixed.py).

The derivations are in the comments: n = 8, sums of squares over n − 1 = 7.
"""

from __future__ import annotations

import math
import random
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizbank.itemstats import AlphaCollector, ItemCollector, ItemStat, cronbach_alpha, flags_for, item_stat

from .fixed import ROWS, TOTALS


def column(j: int) -> list[float]:
    return [r[j] for r in ROWS]


def test_wrong_key_question_by_hand() -> None:
    # q5: x = 0 0 0 0 1 1 1 1, rest = T − x = 4 3 3 1 2 1 1 0
    # Σx = 4, Σr = 15, Σxr = 2+1+1+0 = 4            → (n−1)·C = 4 − 4·15/8 = −3.5
    # (n−1)·V(x) = 4 − 16/8 = 2;  Σr² = 41          → (n−1)·V(r) = 41 − 225/8 = 12.875
    # D = −3.5 / √(2 · 12.875) = −0.6897
    # sorted pairing: the four 1s meet the four largest rests 2 3 3 4: Σ = 12
    #                                               → (n−1)·C_max = 12 − 7.5 = 4.5 → DE = −3.5/4.5 = −7/9
    s = item_stat("q5", column(4), TOTALS, 1.0, min_members=5)
    assert s.n == 8
    assert s.facility == pytest.approx(0.5)
    assert s.sd == pytest.approx(math.sqrt(2 / 7))
    assert s.discrimination == pytest.approx(-3.5 / math.sqrt(2 * 12.875))
    assert s.efficiency == pytest.approx(-7 / 9)
    assert s.flags == ("negative",)
    assert s.judged


def test_weak_question_by_hand() -> None:
    # q1: x = 1 1 1 1 1 0 1 0, rest = 3 2 2 0 2 2 1 1; Σx = 6, Σr = 13, Σxr = 3+2+2+0+2+1 = 10
    # (n−1)·C = 10 − 6·13/8 = 0.25;  (n−1)·V(x) = 6 − 36/8 = 1.5;  (n−1)·V(r) = 27 − 169/8 = 5.875
    # D = 0.25 / √(1.5 · 5.875) = 0.0842: below 0.2, weak (the wrong key on q5 blurs the rest score)
    # sorted: the six 1s meet the rests 1 2 2 2 2 3: Σ = 12 → (n−1)·C_max = 12 − 9.75 = 2.25 → DE = 1/9
    s = item_stat("q1", column(0), TOTALS, 1.0, min_members=5)
    assert s.facility == pytest.approx(0.75)
    assert s.discrimination == pytest.approx(0.25 / math.sqrt(1.5 * 5.875))
    assert s.efficiency == pytest.approx(1 / 9)
    assert s.flags == ("weak",)


def test_hard_question_by_hand() -> None:
    # q4: x = 1 0 1 0 0 0 0 0, rest = 3 3 2 1 3 2 2 1; Σx = 2, Σr = 17, Σxr = 3 + 2 = 5
    # (n−1)·C = 5 − 2·17/8 = 0.75; (n−1)·V(x) = 2 − 0.5 = 1.5; (n−1)·V(r) = 41 − 289/8 = 4.875
    # D = 0.75 / √(1.5 · 4.875) = 0.2774
    # sorted: the two 1s meet the two largest rests (3, 3): Σ = 6 → (n−1)·C_max = 6 − 4.25 = 1.75 → DE = 3/7
    s = item_stat("q4", column(3), TOTALS, 1.0, min_members=5)
    assert s.facility == pytest.approx(0.25)
    assert s.discrimination == pytest.approx(0.75 / math.sqrt(1.5 * 4.875))
    assert s.efficiency == pytest.approx(3 / 7)
    assert s.flags == ()  # 0.25 is not below 0.2, and 0.277 discriminates enough


def test_only_the_wrong_key_is_negative() -> None:
    # (n−1)·C for q1…q5: 1/4, 5/4, 3/4, 3/4, −7/2
    ds = [item_stat(f"q{j + 1}", column(j), TOTALS, 1.0, min_members=5).discrimination for j in range(5)]
    assert [d is not None and d > 0 for d in ds] == [True, True, True, True, False]


def test_cronbach_alpha_by_hand() -> None:
    # item variances ·7: q1 1.5, q2 5 − 25/8 = 1.875, q3 1.5, q4 1.5, q5 2  → Σ = 8.375/7
    # totals 4 3 3 1 3 2 2 1: Σ = 19, ΣT² = 53 → (n−1)·V(T) = 53 − 361/8 = 7.875
    # α = 5/4 · (1 − 8.375/7.875) = −5/63: the wrong key drags the test's consistency below zero
    assert cronbach_alpha(ROWS) == pytest.approx(-5 / 63)
    # without q5 the four good questions agree: totals 4 3 3 1 2 1 1 0, (n−1)·V = 12.875, Σ = 6.375
    assert cronbach_alpha([r[:4] for r in ROWS]) == pytest.approx(4 / 3 * (1 - 6.375 / 12.875))  # 0.673


def test_alpha_collector_matches_the_matrix_formula() -> None:
    col = AlphaCollector("固定卷", 5)
    for r in ROWS:
        col.add(r)
    res = col.result()
    assert res.alpha == pytest.approx(cronbach_alpha(ROWS))
    assert res.items == 5
    assert res.attempts == 8
    assert res.mean == pytest.approx(19 / 8)
    assert res.sd == pytest.approx(math.sqrt(7.875 / 7))
    assert res.sem is not None
    assert res.sd is not None
    assert res.alpha is not None
    assert res.sem == pytest.approx(res.sd * math.sqrt(1 - res.alpha))  # α < 0 → SEM > SD, still defined


def test_repeating_every_row_changes_no_statistic() -> None:
    """Why the workbook test may use 32 members for these hand values."""
    once = [item_stat(f"q{j}", column(j), TOTALS, 1.0, min_members=1) for j in range(5)]
    four = [item_stat(f"q{j}", column(j) * 4, TOTALS * 4, 1.0, min_members=1) for j in range(5)]
    for a, b in zip(once, four, strict=True):
        assert a.facility == pytest.approx(b.facility)
        assert a.discrimination == pytest.approx(b.discrimination)
        assert a.efficiency == pytest.approx(b.efficiency)
    assert cronbach_alpha(ROWS * 4) == pytest.approx(cronbach_alpha(ROWS))


def test_few_members_are_shown_but_not_flagged() -> None:
    s = item_stat("q5", column(4), TOTALS, 1.0)  # 8 < 30 members
    assert s.discrimination is not None
    assert s.discrimination < 0
    assert not s.judged
    assert s.flags == ()


@pytest.mark.parametrize(
    ("facility", "discrimination", "flags"),
    [
        (0.95, 0.5, ("too_easy",)),
        (0.91, None, ("too_easy",)),
        (0.15, 0.3, ("too_hard",)),
        (0.5, 0.1, ("weak",)),
        (0.5, -0.01, ("negative",)),
        (0.95, -0.3, ("negative", "too_easy")),
        (0.9, 0.2, ()),  # the limits themselves are fine
        (0.2, 0.2, ()),
    ],
)
def test_flag_rules(facility: float, discrimination: float | None, flags: tuple[str, ...]) -> None:
    s = ItemStat("q", 100, 100, 1.0, facility, facility, 0.3, discrimination, None)
    assert flags_for(s) == flags


def test_no_variance_gives_no_discrimination() -> None:
    s = item_stat("q", [1.0] * 40, [float(i % 7) for i in range(40)], 1.0)
    assert s.facility == 1.0
    assert s.discrimination is None
    assert s.efficiency is None
    assert s.flags == ("too_easy",)


def test_collector_counts_distinct_members_and_splits_points_values() -> None:
    c = ItemCollector()
    for member, total in enumerate(TOTALS):
        c.add_attempt(member, total, [("q5", ROWS[member][4], 1.0)])
        c.add("q5", ROWS[member][4], total, 1.0, member)  # the same members again
    c.add("q5", 2.0, 5.0, 2.0, 99)  # q5 worth 2 points on another paper: a separate line
    stats = c.stats(min_members=1)
    assert [(s.question_id, s.max_points, s.n, s.members) for s in stats] == [("q5", 1.0, 16, 8), ("q5", 2.0, 1, 1)]


@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 1.0, 1.5, 3.0]), st.integers(0, 60)),
        min_size=2,
        max_size=60,
    )
)
def test_against_the_statistics_module(pairs: list[tuple[float, int]]) -> None:
    """Discrimination and efficiency agree with an independent formulation (statistics.correlation)."""
    marks = [m for m, _ in pairs]
    totals = [m + r for m, r in pairs]
    rest = [float(r) for _, r in pairs]
    s = item_stat("q", marks, totals, 3.0, min_members=1)
    if len(set(marks)) < 2 or len(set(rest)) < 2:
        assert s.discrimination is None
        return
    assert s.discrimination == pytest.approx(statistics.correlation(marks, rest), abs=1e-9)
    cmax = statistics.covariance(sorted(marks), sorted(rest))
    assert s.efficiency == pytest.approx(statistics.covariance(marks, rest) / cmax, abs=1e-9)
    # at most 1 (the sorted pairing is the largest covariance); below −1 is possible when the
    # two distributions are skewed differently, as Moodle's figures can be
    assert s.efficiency is not None
    assert s.efficiency <= 1 + 1e-9


def test_alpha_does_not_depend_on_order() -> None:
    rng = random.Random(3)
    rows = [[float(rng.random() < 0.6) for _ in range(10)] for _ in range(50)]
    a = AlphaCollector("x")
    b = AlphaCollector("x")
    for r in rows:
        a.add(r)
    for r in reversed(rows):
        b.add(r)
    assert a.result().alpha == pytest.approx(b.result().alpha, abs=1e-12)
    assert a.result().alpha == pytest.approx(cronbach_alpha(rows), abs=1e-12)
