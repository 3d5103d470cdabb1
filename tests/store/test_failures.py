"""When the disk says no: read-only files, full disks, locks held too long.

Each case must give a clear :class:`StoreError` (no traceback, no SQLite jargon alone) and
leave everything saved before intact and readable.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quizbank.cli import main
from quizbank.errors import StoreError
from quizbank.loader import Library
from quizbank.session import ExamSession
from quizbank.store import Store

from .synth import FakeClock


def saved_state(db: Path) -> list[tuple[Any, ...]]:
    """Every answer row and attempt row, read with a fresh connection."""
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = c.execute("SELECT attempt_id, no, response, marked FROM answers ORDER BY 1, 2").fetchall()
        rows += c.execute("SELECT attempt_id, status, score, digest FROM attempts ORDER BY 1").fetchall()
    return rows


def some_answers(store: Store, library: Library, clock: FakeClock) -> ExamSession:
    done = ExamSession.open(store, library, "1003", clock=clock)
    done.answer(1, "A")
    done.submit()
    s = ExamSession.open(store, library, "1002", clock=clock, time_limit_s=36_000)
    for q in s.paper.questions[:5]:
        s.answer(q.no, "B")
    s.set_marked(2, True)
    return s


# ------------------------------------------------------------------ read-only file
@pytest.fixture
def read_only() -> Iterator[Any]:
    """Makes a file read-only: chmod for a normal user, ``chattr +i`` for root (whom chmod does not stop)."""
    done: list[Path] = []

    def make(path: Path) -> None:
        if os.geteuid() != 0:
            path.chmod(0o444)
        else:
            r = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
            if r.returncode != 0:
                pytest.skip("running as root and chattr +i is not available: cannot make a read-only file")
        done.append(path)

    yield make
    for path in done:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        else:
            path.chmod(0o644)


def test_read_only_database_file(
    store: Store, library: Library, clock: FakeClock, read_only: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Path(store.path)
    s = some_answers(store, library, clock)
    store.close()
    before = saved_state(db)
    read_only(db)

    with Store.open(db) as ro:
        # reading works: the member's attempt resumes with everything saved
        r = ExamSession.open(ro, library, "1002", clock=clock)
        assert r.resumed
        assert r.responses == s.responses
        assert r.marked == {2}
        with pytest.raises(StoreError) as e:
            r.answer(6, "C")
        assert e.value.reason == "read_only"
        msg = str(e.value)
        assert "read-only" in msg
        assert "the answer to question 6 was not saved" in msg
        assert "intact" in msg
        assert 6 not in r.responses  # the session did not pretend it was saved
        with pytest.raises(StoreError, match="read-only"):
            ExamSession.open(ro, library, "1004", clock=clock)  # a new attempt cannot start either

    # the command line says so too, with exit 1 and no traceback
    assert main(["roster", "demo", "--db", str(db)]) == 0  # (has members: nothing to write)
    assert main(["results", "--db", str(db), "--json"]) == 0
    capsys.readouterr()
    roster = db.parent / "r.csv"
    roster.write_text("编号,姓名,党支部,类别\n1,甲,一支部,正式党员\n", encoding="utf-8")
    assert main(["roster", "import", str(roster), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "read-only" in err
    assert "Traceback" not in err
    assert saved_state(db) == before


# ------------------------------------------------------------------ full disk
def test_full_disk_inside_sqlite(store: Store, library: Library, clock: FakeClock) -> None:
    """``max_page_count`` makes SQLite itself report SQLITE_FULL: a real full-disk path, no mount needed."""
    some_answers(store, library, clock)
    before = saved_state(Path(store.path))
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")

    def start_many() -> None:
        for mid in [str(i) for i in range(1011, 1031)]:
            ExamSession.open(store, library, mid, clock=clock)

    with pytest.raises(StoreError) as e:
        start_many()
    assert e.value.reason == "disk_full"
    assert "disk is full" in str(e.value)
    assert "intact" in str(e.value)
    after = saved_state(Path(store.path))
    assert set(before) <= set(after)
    assert store.verify().ok  # the failed start left no half-made attempt
    store._conn.execute(f"PRAGMA max_page_count = {pages * 100}")  # space freed: work goes on
    ExamSession.open(store, library, "1030", clock=clock).answer(1, "A")


class FailingCommit:
    """A connection whose next COMMITs fail as a full disk would: the patched-write simulation."""

    def __init__(self, conn: sqlite3.Connection, failures: int) -> None:
        self._conn = conn
        self.failures = failures

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT" and self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def test_failed_commit_saves_nothing_and_says_so(store: Store, library: Library, clock: FakeClock) -> None:
    s = some_answers(store, library, clock)
    before = saved_state(Path(store.path))
    store._conn = FailingCommit(store._conn, failures=2)  # type: ignore[assignment]
    with pytest.raises(StoreError, match="disk is full; the answer to question 7 was not saved"):
        s.answer(7, "D")
    assert 7 not in s.responses
    with pytest.raises(StoreError, match="disk is full"):
        s.submit()
    assert s.status == "in_progress"
    assert saved_state(Path(store.path)) == before
    s.answer(7, "D")  # the disk has room again
    assert store.attempt(s.attempt_id).answers[6].response == "D"


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs, if this machine lets us mount one (root in a container usually may)."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({r.stderr.decode().strip()}); the patched tests cover this")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_full_disk_for_real(tiny_disk: Path, library: Library, clock: FakeClock) -> None:
    db = tiny_disk / "q.db"
    acked: dict[tuple[int, int], str] = {}
    failure: StoreError | None = None
    with Store.open(db) as store:
        store.create_demo_roster(now=clock())
        try:
            for i in range(100_000):
                s = ExamSession.open(store, library, str(1001 + i % 30), clock=clock, time_limit_s=36_000)
                for q in s.paper.questions:
                    if q.type == "fill":
                        text = f"第{i}轮答案" * 8
                        s.answer(q.no, [text] * len(q.answer))
                        acked[(s.attempt_id, q.no)] = text
                s.submit()
        except StoreError as e:
            failure = e
        assert failure is not None
        assert failure.reason == "disk_full", failure
        assert "disk is full" in str(failure)
        assert "intact" in str(failure)
        # still readable through the same connection
        assert store.attempt(next(iter(acked))[0]).status == "submitted"
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {(a, n): r for a, n, r in c.execute("SELECT attempt_id, no, response FROM answers WHERE response IS NOT NULL")}
    assert len(acked) >= 20
    for key, text in acked.items():
        assert text in stored[key]


# ------------------------------------------------------------------ locks
def test_a_lock_held_too_long_is_reported_after_waiting(db_path: Path, library: Library, clock: FakeClock) -> None:
    with Store.open(db_path) as setup:
        setup.create_demo_roster()
    with Store.open(db_path, busy_timeout_s=0.3) as store:
        s = ExamSession.open(store, library, "1002", clock=clock)
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another program sits on the write lock
        t = time.monotonic()
        with pytest.raises(StoreError) as e:
            s.answer(1, "A")
        waited = time.monotonic() - t
        other.execute("ROLLBACK")
        other.close()
        assert e.value.reason == "locked"
        assert "busy" in str(e.value)
        assert 0.25 < waited < 5
        s.answer(1, "A")  # the lock is gone: the same call works
        assert store.attempt(s.attempt_id).answers[0].response == "A"


def test_a_short_lock_is_waited_out(db_path: Path, library: Library, clock: FakeClock) -> None:
    with Store.open(db_path) as store:
        store.create_demo_roster()
        s = ExamSession.open(store, library, "1002", clock=clock)
        other = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")

        timer = threading.Timer(0.3, lambda: other.execute("COMMIT"))
        timer.start()
        s.answer(1, "A")  # waits for the other writer instead of failing
        timer.join()
        other.close()
        assert store.attempt(s.attempt_id).answers[0].response == "A"
