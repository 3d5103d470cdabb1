"""The store methods reports and simulate added: bulk insert, counting, bulk reads."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from quizbank.roster import RosterEntry
from quizbank.store import FinishedAttempt, Store

from .fixed import DAY, PATTERNS, paper, responses


def make(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "bulk.db")
    store.import_roster(
        [RosterEntry(f"{3000 + i}", f"成员{i}", "一车间党支部", "正式党员", None, i + 2) for i in range(8)], now=DAY
    )
    return store


def test_add_finished_attempts_scores_seals_and_verifies(tmp_path: Path) -> None:
    with make(tmp_path) as store:
        p = paper()
        plan = [
            FinishedAttempt(f"{3000 + i}", p, DAY + timedelta(hours=i), DAY + timedelta(hours=i, minutes=5), responses(pat))
            for i, pat in enumerate(PATTERNS.values())
        ]
        expired = FinishedAttempt("3000", p, DAY + timedelta(days=1), DAY + timedelta(days=1, seconds=600), {}, "expired")
        ids = store.add_finished_attempts([*plan, expired])
        assert len(ids) == 9
        recs = {a.attempt_id: a for a in store.attempts()}
        assert [recs[i].score for i in ids] == [4, 3, 3, 1, 3, 2, 2, 1, 0]
        assert recs[ids[-1]].status == "expired"
        assert [x.points_awarded for x in recs[ids[0]].answers] == [1, 1, 1, 1, 0]
        assert recs[ids[0]].answers[0].response == "A"
        assert store.verify().ok


def test_count_attempts_leaves_out_a_blueprint_key_prefix(tmp_path: Path) -> None:
    with make(tmp_path) as store:
        real = paper()
        sim = real.model_copy(update={"paper_id": "sim-paper", "blueprint_key": "simulated:fixed"})
        store.add_finished_attempts(
            [
                FinishedAttempt("3000", real, DAY, DAY + timedelta(minutes=5), {}),
                FinishedAttempt("3001", sim, DAY, DAY + timedelta(minutes=5), {}),
                FinishedAttempt("3002", sim, DAY, DAY + timedelta(minutes=5), {}),
            ]
        )
        assert store.count_attempts() == 3
        assert store.count_attempts(excluding_blueprint_key_prefix="simulated:") == 1
        assert store.count_attempts(excluding_blueprint_key_prefix="fixed") == 2
        assert store.count_attempts(excluding_blueprint_key_prefix="other:") == 3


def test_finished_attempts_and_answer_marks(tmp_path: Path) -> None:
    with make(tmp_path) as store:
        p = paper()
        store.add_finished_attempts(
            [
                FinishedAttempt(f"{3000 + i}", p, DAY + timedelta(days=i), DAY + timedelta(days=i, minutes=5), responses(pat))
                for i, pat in enumerate(PATTERNS.values())
            ]
        )
        store.start_attempt("3007", p, started_at=DAY + timedelta(days=3, hours=1), deadline=DAY + timedelta(days=400))
        got = store.finished_attempts(since=DAY + timedelta(days=2), until=DAY + timedelta(days=5))
        assert [a.member_id for a in got] == ["3002", "3003", "3004"]  # not the unfinished one started on day 3
        assert all(a.answers == [] for a in got)
        assert len(store.finished_attempts()) == 8
        assert [a.member_id for a in store.finished_attempts(branch="一车间党支部")][:2] == ["3000", "3001"]
        assert store.finished_attempts(branch="别的支部") == []
        ids = [a.attempt_id for a in store.finished_attempts()]
        # a gap in the ids and chunks of two: rows of other attempts in the range must not leak in
        wanted = [ids[0], ids[2], ids[3], ids[6]]
        rows = list(store.answer_marks(wanted, chunk=2))
        assert sorted({r[0] for r in rows}) == wanted
        assert len(rows) == 4 * 5
        assert rows[:5] == [(ids[0], n, f"fx-0{n}", 1.0, 1.0 if n < 5 else 0.0) for n in range(1, 6)]
        outlines = store.question_outlines(["fx-01", "fx-05", "nope"])
        assert outlines["fx-05"] == {"type": "single", "topic": "乙库/三", "difficulty": "medium", "stem": "固定题5（ ）"}
        assert "nope" not in outlines
