"""Nothing acknowledged is lost: SIGKILL at random moments, and many kiosks writing at once.

The writers are real processes (``tests/store/writer.py``) using the real store and session.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quizbank.store import Store

ROOT = Path(__file__).resolve().parents[2]
KILLS = 40


def writer(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.writer", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_acknowledged(db_path: Path) -> None:
    with Store.open(db_path) as s:
        s.create_demo_roster()
    rng = random.Random(20240601)
    acked: dict[tuple[int, int], int] = {}  # (attempt, question) → highest acknowledged sequence
    submitted: set[int] = set()
    for run in range(KILLS):
        member = rng.choice(["1002", "1003"])  # two members: resumes happen, and fresh starts too
        proc = writer("kill", str(db_path), member, str(run * 1_000_000))
        # wait for the first acknowledgement so the kill lands among writes, not during start-up
        assert proc.stdout is not None
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0, 0.25))
        os.kill(proc.pid, signal.SIGKILL)
        rest, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, err
        lines = (first + rest).split("\n")
        for line in lines[:-1]:  # the last piece may be a line cut off by the kill
            kind, *fields = line.split()
            if kind == "A":
                attempt, no, value = int(fields[0]), int(fields[1]), int(fields[2][1:])
                acked[(attempt, no)] = max(value, acked.get((attempt, no), -1))
            elif kind == "S":
                submitted.add(int(fields[0]))
    assert len(acked) > KILLS  # the runs did write

    with sqlite3.connect(db_path) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {(a, n): r for a, n, r in c.execute("SELECT attempt_id, no, response FROM answers WHERE response IS NOT NULL")}
        status = dict(c.execute("SELECT attempt_id, status FROM attempts").fetchall())
    for key, seq in acked.items():
        assert key in stored, f"acknowledged answer {key} v{seq} is missing"
        got = max(int(v[1:]) for v in stored[key].strip("[]").replace('"', "").split(","))
        assert got >= seq, f"{key}: stored v{got}, but v{seq} was acknowledged"
    for attempt in submitted:
        assert status[attempt] == "submitted"
    with Store.open(db_path) as s:
        report = s.verify()
    assert report.ok, report.problems
    assert report.sealed >= len(submitted)


@pytest.mark.slow
def test_eight_kiosks_two_hundred_answers_each(db_path: Path) -> None:
    members = [str(m) for m in range(1002, 1010)]
    with Store.open(db_path) as s:
        s.create_demo_roster()
    start_at = time.time() + 2.0
    procs = [writer("burst", str(db_path), m, "200", str(start_at)) for m in members]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err.lower()
        assert "busy" not in err.lower()
        assert out.strip() == "200"
    with sqlite3.connect(db_path) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_member = dict(
            c.execute(
                "SELECT a.member_id, count(*) FROM answers x JOIN attempts a USING (attempt_id) "
                "WHERE x.response IS NOT NULL GROUP BY a.member_id"
            ).fetchall()
        )
    assert per_member == dict.fromkeys(members, 200)
    assert sum(per_member.values()) == 1600
    with Store.open(db_path) as s:
        assert s.verify().ok


@pytest.mark.slow
def test_kiosks_creating_the_database_at_the_same_moment(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    code = (
        "import sys, time; from quizbank.store import Store\n"
        "t = float(sys.argv[2]); time.sleep(max(0, t - time.time()))\n"
        "s = Store.open(sys.argv[1]); s.create_demo_roster(); print(s.schema_version); s.close()\n"
    )
    start_at = str(time.time() + 1.0)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(db), start_at], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    for p in procs:
        _out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    with Store.open(db) as s:
        assert len(s.members()) == 30
