"""Schema upgrades keep every saved answer and every seal; attempts stay with the branch they were taken in."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from quizbank.loader import Library
from quizbank.roster import RosterEntry
from quizbank.session import ExamSession
from quizbank.store import SCHEMA_VERSION, Store

from .synth import FakeClock

V1 = Path(__file__).resolve().parents[1] / "data" / "store_v1.sqlite"


def test_a_schema_1_database_is_upgraded_in_place(tmp_path: Path, library: Library, clock: FakeClock) -> None:
    """``store_v1.sqlite``: the demo roster, attempts of 1002 and 1012 submitted, 1022's in progress."""
    db = tmp_path / "old.db"
    shutil.copy(V1, db)
    with sqlite3.connect(db) as c:
        before = c.execute("SELECT attempt_id, no, response, marked, points_awarded FROM answers ORDER BY 1, 2").fetchall()
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1
    with Store.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION == 2
        report = store.verify()
        assert report.ok, report.problems  # seals made by schema 1 still hold
        assert report.sealed == 2
        assert [(a.member_id, a.branch) for a in store.attempts()] == [
            ("1002", "机关党总支"),
            ("1012", "一车间党支部"),
            ("1022", "二车间党支部"),
        ]
        # the unfinished attempt carries on and is sealed by the new rules
        s = ExamSession.open(store, library, "1022", clock=clock)
        assert s.resumed
        assert s.responses == {1: "A"}
        s.answer(2, "B")
        s.submit()
        assert store.verify().ok
    with sqlite3.connect(db) as c:
        after = c.execute("SELECT attempt_id, no, response, marked, points_awarded FROM answers ORDER BY 1, 2").fetchall()
        versions = dict(c.execute("SELECT attempt_id, seal_version FROM attempts").fetchall())
    assert [r for r in after if r[0] != 3] == [r for r in before if r[0] != 3]
    assert versions == {1: None, 2: None, 3: 2}


def test_moving_an_attempt_to_another_branch_by_hand_is_caught(tmp_path: Path, library: Library, clock: FakeClock) -> None:
    db = tmp_path / "q.db"
    with Store.open(db) as store:
        store.create_demo_roster()
        s = ExamSession.open(store, library, "1012", clock=clock)
        s.submit()
    with sqlite3.connect(db) as c:
        c.execute("UPDATE attempts SET branch_id = (SELECT branch_id FROM branches WHERE name = '二车间党支部')")
    with Store.open(db) as store:
        problems = store.verify().problems
    assert any(f"attempt {s.attempt_id} (member 1012): its digest does not match" in p for p in problems)


def test_a_transfer_leaves_past_attempts_with_the_old_branch(store: Store, library: Library, clock: FakeClock) -> None:
    first = ExamSession.open(store, library, "1012", clock=clock)
    first.submit()
    everyone = [
        RosterEntry(m.member_id, m.name, "二车间党支部" if m.member_id == "1012" else m.branch, m.category, None, 2)
        for m in store.members()
    ]
    store.import_roster(everyone)
    assert store.member("1012").branch == "二车间党支部"
    second = ExamSession.open(store, library, "1012", clock=clock)
    second.submit()
    assert [a.attempt_id for a in store.attempts(branch="一车间党支部")] == [first.attempt_id]
    assert [a.attempt_id for a in store.attempts(branch="二车间党支部")] == [second.attempt_id]
    assert store.verify().ok


def test_branches_of_the_past(store: Store, library: Library, clock: FakeClock) -> None:
    ExamSession.open(store, library, "1012", clock=clock).submit()
    store.import_roster([RosterEntry("1002", "李秀英", "机关党总支", "正式党员", None, 2)])  # everyone else leaves
    assert store.branches() == ["机关党总支"]
    assert store.branches(include_inactive=True) == sorted(["机关党总支", "一车间党支部", "二车间党支部"])
