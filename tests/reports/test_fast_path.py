"""The report from marks vectors (numpy) against the report from answer rows (one tuple at a time): the same to the last bit."""

from __future__ import annotations

import math
import shutil
import sqlite3
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizbank.markstats import MarkTable, exact_sums, running_sums
from quizbank.periods import parse_period
from quizbank.reports import Report, build_report, compute_report, counted
from quizbank.store import Store

AT = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)


def slow(store: Store, period: str, branch: str | None = None, min_members: int | None = None) -> Report:
    """The report as it was computed before marks vectors: every answer row read and added one at a time."""
    p = parse_period(period)
    attempts = store.finished_attempts(since=p.start, until=p.end, branch=branch)
    year = p.year_to_end()
    year_attempts = store.finished_attempts(since=year.start, until=year.end, branch=branch)
    wanted = [a.attempt_id for a in attempts if counted(a, p)]
    outlines = store.question_outlines(sorted({r[2] for r in store.answer_marks(wanted)}))
    from quizbank.reports import QuestionInfo

    info = {q: QuestionInfo(str(o["type"]), str(o["topic"]), str(o["difficulty"]), str(o["stem"])) for q, o in outlines.items()}
    return compute_report(
        p, store.members(branch, include_inactive=True), attempts, year_attempts, store.answer_marks(wanted), info,
        branch=branch, generated_at=AT, min_members=min_members,
    )  # fmt: skip


def assert_same(a: Report, b: Report) -> None:
    for f in fields(Report):
        assert getattr(a, f.name) == getattr(b, f.name), f.name  # == on floats: to the last bit


@pytest.mark.parametrize(
    ("period", "branch", "min_members"), [("2025", None, None), ("2025-Q2", None, 5), ("2025", "first", None)]
)
def test_simulated_data_gives_the_same_report_both_ways(
    sim_db: Path, tmp_path: Path, period: str, branch: str | None, min_members: int | None
) -> None:
    db = tmp_path / "sim.db"
    shutil.copy(sim_db, db)
    with Store.open(db) as store:
        b = store.branches()[0] if branch else None
        fast = build_report(store, parse_period(period), branch=b, generated_at=AT, min_members=min_members)
        assert fast.attempts > 0
        assert fast.items
        assert fast.topics
        assert_same(fast, slow(store, period, b, min_members))


def test_fixed_data_gives_the_same_report_both_ways(fixed_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "fixed.db"
    shutil.copy(fixed_db, db)
    with Store.open(db) as store:
        fast = build_report(store, parse_period("2025"), generated_at=AT, min_members=4)
        assert any(s.stat.flags for s in fast.items)
        assert_same(fast, slow(store, "2025", min_members=4))


def test_build_report_reads_marks_vectors_and_falls_back_without_them(sim_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "sim.db"
    shutil.copy(sim_db, db)
    with Store.open(db) as store:
        ids = [a.attempt_id for a in store.finished_attempts()]
        found = store.mark_vectors([*ids, 10**9])
        assert found.attempt_ids == ids
        assert found.missing == [10**9]
        table = MarkTable.from_vectors(found.attempt_ids, found.counts, found.data, found.questions)
        rows = list(store.answer_marks(ids))
        assert len(table) == len(rows)
        assert [(int(r["no"]), table.questions[int(r["key"])], float(r["points"]), float(r["got"])) for r in table.records] == [
            (no, qid, points, got) for _, no, qid, points, got in rows
        ]
        before = build_report(store, parse_period("2025"), generated_at=AT)
    with sqlite3.connect(db) as c:  # an attempt closed behind the program's back has no vector
        c.execute("UPDATE attempts SET marks = NULL WHERE attempt_id = ?", (ids[3],))
    c.close()
    with Store.open(db) as store:
        assert store.mark_vectors(ids).missing == [ids[3]]
        assert any("marks vector" in p for p in store.verify().problems)
        assert_same(build_report(store, parse_period("2025"), generated_at=AT), before)  # from the answer rows


def test_an_unmarked_answer_counts_zero_both_ways(fixed_db: Path, tmp_path: Path) -> None:
    """A mark missing from a sealed attempt (NaN in its vector) counts 0, as None does in the rows."""
    db = tmp_path / "fixed.db"
    shutil.copy(fixed_db, db)
    with Store.open(db) as store:
        aid = store.finished_attempts()[0].attempt_id
    with sqlite3.connect(db) as c:
        c.execute("UPDATE answers SET points_awarded = NULL WHERE attempt_id = ? AND no = 1", (aid,))
        blob = bytearray(c.execute("SELECT marks FROM attempts WHERE attempt_id = ?", (aid,)).fetchone()[0])
        blob[16:24] = np.array([math.nan], dtype="<f8").tobytes()
        c.execute("UPDATE attempts SET marks = ? WHERE attempt_id = ?", (bytes(blob), aid))
    c.close()
    with Store.open(db) as store:
        assert not any("marks vector" in p for p in store.verify().problems)  # the vector agrees with the rows
        assert_same(build_report(store, parse_period("2025"), generated_at=AT, min_members=4), slow(store, "2025", min_members=4))


doubles = st.floats(allow_nan=False, allow_infinity=False, width=64)
marks = st.sampled_from([0.0, -0.0, 0.3333, 0.5, 0.6667, 1.0, 2.0, 3.0, 4.0])


@given(st.lists(st.tuples(st.one_of(doubles, marks, st.floats(-1e4, 1e4)), st.integers(0, 6)), max_size=300))
def test_exact_sums_are_fsum(pairs: list[tuple[float, int]]) -> None:
    values = np.array([v for v, _ in pairs], dtype=np.float64)
    groups = np.array([g for _, g in pairs], dtype=np.int64)
    want = [math.fsum(v for v, g in pairs if g == k) for k in range(7)]
    assert exact_sums(values, groups, 7) == want


@given(st.lists(st.lists(st.one_of(marks, st.floats(-1e3, 1e3)), max_size=600), max_size=8))
def test_running_sums_add_in_order(segments: list[list[float]]) -> None:
    values = np.array([v for s in segments for v in s], dtype=np.float64)
    got = running_sums(values, np.array([len(s) for s in segments], dtype=np.int64))
    for s, g in zip(segments, got.tolist(), strict=True):
        total = 0.0
        for v in s:
            total += v
        assert g == total
