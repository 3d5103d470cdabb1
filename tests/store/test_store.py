"""The store: schema and pragmas, opening rules, roster, papers, listing attempts."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

import quizbank.store as store_mod
from quizbank.errors import NotFoundError, StoreError
from quizbank.generator import PaperGenerator
from quizbank.loader import Library
from quizbank.roster import RosterEntry
from quizbank.session import ExamSession
from quizbank.store import SCHEMA_VERSION, Store

from .synth import FakeClock


def _draw(library: Library, seed: int, key: str = "member"):  # type: ignore[no-untyped-def]
    lb = library.blueprint(key)
    return PaperGenerator(lb.blueprint, library.questions, blueprint_key=key).draw(seed)


# ------------------------------------------------------------------ opening
def test_new_database_is_set_up_for_durability(store: Store) -> None:
    c = store._conn
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
    assert store.schema_version == SCHEMA_VERSION


def test_open_without_create_needs_an_existing_database(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with pytest.raises(NotFoundError, match="roster import"):
        Store.open(missing, create=False)
    assert not missing.exists()  # and it was not created as a side effect


def test_open_refuses_other_sqlite_files(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a quizbank database") as e:
        Store.open(other)
    assert e.value.reason == "schema"


def test_open_refuses_a_newer_schema(db_path: Path) -> None:
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer quizbank"):
        Store.open(db_path)


def test_open_a_folder_or_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        Store.open(tmp_path)
    with pytest.raises(StoreError) as e:
        Store.open(tmp_path / "no" / "such" / "dir" / "q.db")
    assert e.value.reason == "cannot_open"


def test_garbage_file_is_reported_not_raised(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(StoreError, match="not a quizbank database or is damaged"):
        Store.open(junk)


def test_migration_runs_once_and_is_idempotent(db_path: Path) -> None:
    Store.open(db_path).close()
    with Store.open(db_path) as s:  # opening again migrates nothing and loses nothing
        assert s.schema_version == SCHEMA_VERSION
    with sqlite3.connect(db_path) as c:
        assert c.execute("PRAGMA application_id").fetchone()[0] == store_mod._APPLICATION_ID


def test_memory_database_for_experiments() -> None:
    with Store.open(":memory:") as s:
        assert s.create_demo_roster() == 30


# ------------------------------------------------------------------ roster
def test_demo_roster(store: Store) -> None:
    assert store.branches() == sorted(["机关党总支", "一车间党支部", "二车间党支部"])
    assert [m.member_id for m in store.members("一车间党支部")] == [str(i) for i in range(1011, 1021)]
    assert store.member("1001").audience == "secretary"
    assert store.member("1030").category == "挂职副书记"
    assert store.member("1030").audience == "secretary"
    assert store.member("1002").audience == "member"
    assert store.member("1010").has_pin
    assert not store.member("1002").has_pin
    assert store.verify_pin("1010", "1234")
    assert not store.verify_pin("1010", "4321")
    assert store.verify_pin("1002", "anything")  # no PIN: any (or no) PIN will do
    assert store.create_demo_roster() == 0  # never on top of a roster


def test_member_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="9999"):
        store.member("9999")


def _entry(mid: str, name: str, branch: str = "一支部", cat: str = "正式党员", pin: str | None = None) -> RosterEntry:
    return RosterEntry(mid, name, branch, cat, pin, 2)


def test_roster_reimport_updates_deactivates_and_keeps_history(db_path: Path, library: Library, clock: FakeClock) -> None:
    with Store.open(db_path) as s:
        ch = s.import_roster([_entry("1", "甲", pin="1111"), _entry("2", "乙"), _entry("3", "丙", "二支部")])
        assert (ch.added, ch.updated, ch.deactivated) == (["1", "2", "3"], [], [])
        ExamSession.open(s, library, "3", clock=clock).submit()  # 丙 has history
        ch = s.import_roster([_entry("1", "甲"), _entry("2", "乙二", cat="预备党员"), _entry("4", "丁")])
        assert ch.added == ["4"]
        assert ch.updated == ["2"]
        assert ch.unchanged == ["1"]
        assert ch.deactivated == ["3"]
        assert s.member("1").has_pin
        assert s.verify_pin("1", "1111")
        assert s.member("2").name == "乙二"
        assert s.member("2").category == "预备党员"
        assert not s.member("3").active
        assert [m.member_id for m in s.members()] == ["1", "2", "4"]
        assert [m.member_id for m in s.members(include_inactive=True)] == ["1", "2", "3", "4"]
        assert s.branches() == ["一支部"]  # 二支部 has nobody active now
        assert len(list(s.attempts(member_id="3"))) == 1  # history kept
        ch = s.import_roster([_entry("3", "丙", "二支部", pin="2222")])
        assert ch.updated == ["3"]
        assert s.member("3").active
        assert s.verify_pin("3", "2222")


# ------------------------------------------------------------------ papers
def test_paper_round_trip_is_exact(store: Store, library: Library) -> None:
    paper = _draw(library, 1)
    store.save_paper(paper)
    store.save_paper(paper)  # idempotent
    store._papers.clear()
    assert store.paper(paper.paper_id) == paper
    with Store.open(store.path) as other:
        assert other.paper(paper.paper_id) == paper


def test_question_texts_are_stored_once(store: Store, library: Library) -> None:
    papers = [_draw(library, s) for s in range(30)]
    for p in papers:
        store.save_paper(p)
    c = store._conn
    versions = c.execute("SELECT count(*) FROM question_versions").fetchone()[0]
    placed = c.execute("SELECT count(*) FROM paper_questions").fetchone()[0]
    assert placed == 30 * 30
    assert versions < placed / 2


def test_a_hand_edited_paper_is_refused(store: Store, library: Library) -> None:
    paper = _draw(library, 2)
    store.save_paper(paper)
    store._papers.clear()
    store._conn.execute(
        'UPDATE question_versions SET body = replace(body, \'"answer":"A"\', \'"answer":"B"\') '
        "WHERE qv_id IN (SELECT qv_id FROM paper_questions WHERE paper_id = ?)",
        (paper.paper_id,),
    )
    with pytest.raises(StoreError, match="changed after it was saved"):
        store.paper(paper.paper_id)


def test_paper_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.paper("PNOPE")


def test_recent_question_ids(store: Store, library: Library, clock: FakeClock) -> None:
    assert store.recent_question_ids("1002", 2) == set()
    seen = []
    for _ in range(3):
        s = ExamSession.open(store, library, "1002", clock=clock)
        seen.append({q.id for q in s.paper.questions})
        s.submit()
        clock.advance(3600)
    assert store.recent_question_ids("1002", 1) == seen[2]
    assert store.recent_question_ids("1002", 2) == seen[1] | seen[2]
    assert store.recent_question_ids("1002", 0) == set()
    assert store.recent_question_ids("1003", 2) == set()


# ------------------------------------------------------------------ listing
def test_attempts_filters_and_pages(store: Store, library: Library, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_mod, "_PAGE", 3)
    ids = []
    for mid in ["1002", "1003", "1012", "1013", "1022", "1002", "1012"]:
        s = ExamSession.open(store, library, mid, clock=clock)
        s.answer(1, s.paper.questions[0].answer if s.paper.questions[0].type == "single" else None)
        s.submit()
        ids.append(s.attempt_id)
        clock.advance(86_400)
    all_ = list(store.attempts())
    assert [a.attempt_id for a in all_] == ids
    assert all(len(a.answers) == 30 for a in all_)
    assert [a.member_id for a in store.attempts(branch="一车间党支部")] == ["1012", "1013", "1012"]
    assert [a.attempt_id for a in store.attempts(member_id="1002")] == [ids[0], ids[5]]
    start = all_[0].started_at
    window = list(store.attempts(since=start + timedelta(days=1), until=start + timedelta(days=3)))
    assert [a.attempt_id for a in window] == ids[1:3]
    assert all(a.answers == [] for a in store.attempts(with_answers=False))
    rec = store.attempt(ids[0])
    assert rec.status == "submitted"
    assert rec.score is not None
    assert rec.passed is not None
    assert store.last_tested("一车间党支部") == {"1012": all_[6].started_at, "1013": all_[3].started_at}


def test_attempt_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.attempt(12345)


def test_one_open_attempt_per_member_is_enforced_by_the_schema(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    with pytest.raises(sqlite3.IntegrityError):
        store._conn.execute(
            "INSERT INTO attempts (member_id, paper_id, started_at, started_ts, deadline, deadline_ts, max_score) "
            "SELECT member_id, paper_id, started_at, started_ts, deadline, deadline_ts, max_score FROM attempts WHERE attempt_id = ?",
            (s.attempt_id,),
        )
    again, created = store.start_attempt("1002", _draw(library, 5), started_at=clock(), deadline=clock())
    assert (again, created) == (s.attempt_id, False)


def test_expire_overdue_closes_forgotten_attempts(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    ExamSession.open(store, library, "1003", clock=clock, time_limit_s=3600)
    clock.advance(601)
    assert store.expire_overdue(clock()) == [s.attempt_id]
    rec = store.attempt(s.attempt_id)
    assert rec.status == "expired"
    assert rec.submitted_at == s.deadline
    assert rec.score == 0
    assert store.expire_overdue(clock()) == []
