"""Schema upgrades keep every saved answer and every seal; attempts stay with the branch they were taken in."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from quizbank.loader import Library
from quizbank.roster import RosterEntry
from quizbank.session import ExamSession
from quizbank.store import MARKS_RECORD, SCHEMA_VERSION, Store

from .synth import FakeClock

V1 = Path(__file__).resolve().parents[1] / "data" / "store_v1.sqlite"
V2 = Path(__file__).resolve().parents[1] / "data" / "store_v2.sqlite"


def assert_vectors_match_answers(store: Store, db: Path) -> None:
    """Every sealed attempt's marks vector holds its answer rows' numbers, ids, points and marks; others have none."""
    with sqlite3.connect(db) as c:
        sealed = [r[0] for r in c.execute("SELECT attempt_id FROM attempts WHERE seal_seq IS NOT NULL ORDER BY 1")]
        unsealed = c.execute("SELECT count(*) FROM attempts WHERE seal_seq IS NULL AND marks IS NOT NULL").fetchone()[0]
    c.close()
    assert unsealed == 0
    found = store.mark_vectors(sealed)
    assert found.attempt_ids == sealed
    assert not found.missing
    records = list(MARKS_RECORD.iter_unpack(bytes(found.data)))
    rows = [(no, qid, points, got) for _, no, qid, points, got in store.answer_marks(sealed)]
    assert [(no, found.questions[k], points, got) for no, k, points, got in records] == rows
    assert sum(found.counts) == len(rows)


def test_a_schema_1_database_is_upgraded_in_place(tmp_path: Path, library: Library, clock: FakeClock) -> None:
    """``store_v1.sqlite``: the demo roster, attempts of 1002 and 1012 submitted, 1022's in progress."""
    db = tmp_path / "old.db"
    shutil.copy(V1, db)
    with sqlite3.connect(db) as c:
        before = c.execute("SELECT attempt_id, no, response, marked, points_awarded FROM answers ORDER BY 1, 2").fetchall()
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1
    with Store.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION == 3
        report = store.verify()
        assert report.ok, report.problems  # seals made by schema 1 still hold, marks vectors agree with the answers
        assert report.sealed == 2
        assert_vectors_match_answers(store, db)
        assert store.mark_vectors([1, 2, 3]).missing == [3]  # in progress: none yet
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
        assert store.mark_vectors([1, 2, 3]).missing == []
        assert_vectors_match_answers(store, db)
    with sqlite3.connect(db) as c:
        after = c.execute("SELECT attempt_id, no, response, marked, points_awarded FROM answers ORDER BY 1, 2").fetchall()
        versions = dict(c.execute("SELECT attempt_id, seal_version FROM attempts").fetchall())
    c.close()
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


def test_a_schema_2_database_gets_marks_vectors(tmp_path: Path, library: Library, clock: FakeClock) -> None:
    """``store_v2.sqlite`` (made by quizbank at schema 2): demo roster; 1002 and 1012 submitted, 1015's attempt
    expired, 1022's in progress; 1012 moved to 二车间党支部 afterwards. Schema 3 adds marks vectors to the sealed
    attempts from their answers and leaves every answer, seal and digest as it was."""
    db = tmp_path / "v2.db"
    shutil.copy(V2, db)
    query = "SELECT attempt_id, status, score, seal_seq, digest, seal_version FROM attempts ORDER BY 1"
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 2
        attempts = c.execute(query).fetchall()
        answers = c.execute("SELECT * FROM answers ORDER BY 1, 2").fetchall()
    c.close()
    assert [a[1] for a in attempts] == ["submitted", "submitted", "expired", "in_progress"]
    with Store.open(db) as store:
        assert store.schema_version == 3
        report = store.verify()
        assert report.ok, report.problems
        assert (report.sealed, report.in_progress) == (3, 1)
        assert_vectors_match_answers(store, db)
        assert store.mark_vectors([1, 2, 3, 4]).missing == [4]
        s = ExamSession.open(store, library, "1022", clock=clock)
        s.answer(2, "B")
        s.submit()
        assert store.verify().ok
        assert_vectors_match_answers(store, db)
    with sqlite3.connect(db) as c:
        assert c.execute(query).fetchall()[:3] == attempts[:3]
        assert [r for r in c.execute("SELECT * FROM answers ORDER BY 1, 2").fetchall() if r[0] != 4] == [
            r for r in answers if r[0] != 4
        ]
    c.close()


def test_an_edited_marks_vector_is_caught(tmp_path: Path, library: Library, clock: FakeClock) -> None:
    db = tmp_path / "q.db"
    with Store.open(db) as store:
        store.create_demo_roster()
        s = ExamSession.open(store, library, "1012", clock=clock)
        s.answer(1, "A")
        s.submit()
        open_one = ExamSession.open(store, library, "1013", clock=clock)
        assert store.verify().ok
    with sqlite3.connect(db) as c:
        blob = c.execute("SELECT marks FROM attempts WHERE attempt_id = ?", (s.attempt_id,)).fetchone()[0]
        edited = b"".join(
            MARKS_RECORD.pack(no, k, points, points) for no, k, points, _ in MARKS_RECORD.iter_unpack(blob)
        )  # full marks everywhere, answers and digest untouched
        c.execute("UPDATE attempts SET marks = ? WHERE attempt_id = ?", (edited, s.attempt_id))
        c.execute("UPDATE attempts SET marks = ? WHERE attempt_id = ?", (blob, open_one.attempt_id))
    c.close()
    with Store.open(db) as store:
        problems = store.verify().problems
    assert any(f"attempt {s.attempt_id} (member 1012): its marks vector" in p for p in problems), problems
    assert any(f"attempt {open_one.attempt_id} (member 1013): is in progress but carries a marks vector" in p for p in problems)
    assert not any("digest" in p for p in problems)
