"""`quizbank verify`: edits made behind the program's back (the sqlite3 shell) are caught and named."""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from quizbank.cli import main
from quizbank.loader import Library
from quizbank.session import ExamSession
from quizbank.store import Store

from .synth import FakeClock


def shell(db: Path, sql: str) -> None:
    """Run SQL the way someone at the keyboard would: the sqlite3 shell (Python's module if it is missing)."""
    exe = shutil.which("sqlite3")
    if exe:
        subprocess.run([exe, str(db)], input=sql, text=True, check=True, capture_output=True)
    else:  # pragma: no cover - the shell is installed here
        with sqlite3.connect(db) as c:
            c.executescript(sql)


@pytest.fixture
def exams(store: Store, library: Library, clock: FakeClock) -> dict[str, int]:
    """Four submitted attempts (1002, 1003, 1012, 1013, in this order) and one in progress (1022)."""
    ids = {}
    for mid in ("1002", "1003", "1012", "1013"):
        s = ExamSession.open(store, library, mid, clock=clock, rng=random.Random(mid))
        for q in s.paper.questions[:12]:
            s.answer(q.no, q.answer if q.type in ("single", "judge") else None)
        clock.advance(300)
        s.submit()
        ids[mid] = s.attempt_id
    s = ExamSession.open(store, library, "1022", clock=clock, time_limit_s=36_000)
    s.answer(1, "A")
    ids["1022"] = s.attempt_id
    return ids


def verify(db: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["verify", "--db", str(db)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_an_untouched_database_verifies(store: Store, exams: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    code, text = verify(Path(store.path), capsys)
    assert code == 0, text
    assert "ok: 5 attempts (4 submitted and sealed, 1 in progress), 5 papers" in text


@pytest.mark.parametrize(
    ("who", "sql", "says"),
    [
        ("1003", "UPDATE attempts SET score = 100, passed = 1 WHERE attempt_id = {id};", "stored score is 100"),
        ("1003", "UPDATE attempts SET score = score + 1 WHERE attempt_id = {id};", "stored score"),
        ("1012", "UPDATE answers SET response = CASE WHEN response = '\"C\"' THEN '\"D\"' ELSE '\"C\"' END "
                 "WHERE attempt_id = {id} AND no = 1;", "digest does not match"),
        ("1012", "UPDATE answers SET points_awarded = 4 WHERE attempt_id = {id} AND no = 20;", "question 20 is stored as 4"),
        ("1002", "UPDATE attempts SET member_id = '1030' WHERE attempt_id = {id};", "digest does not match"),
        ("1002", "UPDATE attempts SET submitted_at = '2024-06-01T09:01:00.000+08:00' WHERE attempt_id = {id};",
         "digest does not match"),
        ("1022", "UPDATE attempts SET status = 'submitted', score = 100 WHERE attempt_id = {id};", "has no digest"),
    ],
)  # fmt: skip
def test_edits_are_caught_and_named(
    store: Store, exams: dict[str, int], capsys: pytest.CaptureFixture[str], who: str, sql: str, says: str
) -> None:
    db = Path(store.path)
    shell(db, sql.format(id=exams[who]))
    code, text = verify(db, capsys)
    assert code == 1
    assert f"attempt {exams[who]} (member" in text
    assert says in text
    assert all(f"attempt {exams[m]} " not in text for m in exams if m != who and m != "1022")


def test_a_swapped_paper_is_caught(store: Store, exams: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    db = Path(store.path)
    a, b = exams["1002"], exams["1003"]
    # a careful forger moves the answers' question ids along with the paper
    shell(
        db,
        f"UPDATE attempts SET paper_id = (SELECT paper_id FROM attempts WHERE attempt_id = {b}) WHERE attempt_id = {a};"
        f"UPDATE answers SET question_id = (SELECT x.question_id FROM answers x WHERE x.attempt_id = {b} "
        f"AND x.no = answers.no) WHERE attempt_id = {a};",
    )
    code, text = verify(db, capsys)
    assert code == 1
    assert f"attempt {a} (member 1002)" in text


def test_a_deleted_attempt_is_noticed(store: Store, exams: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    db = Path(store.path)
    gone = exams["1003"]
    shell(db, f"DELETE FROM answers WHERE attempt_id = {gone}; DELETE FROM attempts WHERE attempt_id = {gone};")
    code, text = verify(db, capsys)
    assert code == 1
    assert f"attempt {exams['1012']} (member 1012): seal 2 missing" in text
    assert f"after attempt {exams['1002']}" in text


def test_an_edited_key_is_caught(store: Store, exams: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    db = Path(store.path)
    pid = store.attempt(exams["1013"]).paper_id
    shell(
        db,
        "UPDATE question_versions SET body = replace(body, '\"answer\":true', '\"answer\":false') "
        f"WHERE qv_id IN (SELECT qv_id FROM paper_questions WHERE paper_id = '{pid}');",
    )
    code, text = verify(db, capsys)
    assert code == 1
    assert f"paper {pid}: its questions or key were changed" in text
    assert f"attempt {exams['1013']} (member 1013)" in text


def test_verify_json(store: Store, exams: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    import json

    shell(Path(store.path), f"UPDATE attempts SET score = 0 WHERE attempt_id = {exams['1002']};")
    code = main(["verify", "--db", store.path, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["ok"] is False
    assert data["sealed"] == 4
    assert any(f"attempt {exams['1002']}" in p for p in data["problems"])
