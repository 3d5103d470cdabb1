"""Databases for the report tests, built once per session.

* ``fixed_db``: the hand-worked data set of fixed.py, each pattern four times (32 members in
  two branches), plus members never tested and a branch where nobody sat a test.
* ``sim_db``: ``quizbank simulate`` on the shipped banks — 160 members in four branches, two
  attempts each for most of them, over 2025 — plus an unfinished attempt (must not count)
  and a member who left the roster after sitting tests (must still count).
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quizbank.cli import main as quizbank
from quizbank.loader import Library
from quizbank.periods import parse_period
from quizbank.roster import RosterEntry
from quizbank.simulate import simulate
from quizbank.store import FinishedAttempt, Store

from .fixed import DAY, PATTERNS, paper, responses

FIXED_BRANCHES = ("一车间党支部", "二车间党支部")


def run_cli(*argv: str) -> tuple[int, str]:
    """``quizbank ARGV`` in this process: exit code and standard output."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = quizbank(list(argv))
    return rc, out.getvalue()


def cli_json(*argv: str) -> Any:
    rc, out = run_cli(*argv)
    assert rc == 0, out
    return json.loads(out)


@pytest.fixture(scope="session")
def fixed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fixed") / "fixed.db"
    entries = []
    plan = []
    n = 0
    for rep in range(4):
        for letter, pattern in PATTERNS.items():
            n += 1
            mid = f"{2000 + n}"
            entries.append(RosterEntry(mid, f"{letter}{rep}", FIXED_BRANCHES[n % 2], "正式党员", None, n + 1))
            plan.append((mid, pattern))
    entries.append(RosterEntry("2101", "未考甲", FIXED_BRANCHES[0], "预备党员", None, 90))
    entries.append(RosterEntry("2102", "未考乙", "三车间党支部", "发展对象", None, 91))
    with Store.open(path) as store:
        store.import_roster(entries, now=DAY)
        p = paper()
        store.add_finished_attempts(
            [
                FinishedAttempt(mid, p, DAY + timedelta(minutes=i), DAY + timedelta(minutes=i + 7, seconds=30), responses(pat))
                for i, (mid, pat) in enumerate(plan)
            ]
        )
    return path


SIM_NOW = datetime(2026, 1, 20, 12, 0).astimezone()


@pytest.fixture(scope="session")
def sim_db(tmp_path_factory: pytest.TempPathFactory, shipped: Library) -> Path:
    path = tmp_path_factory.mktemp("sim") / "sim.db"
    with Store.open(path) as store:
        simulate(
            store, shipped, members=160, attempts=2, period=parse_period("2025"), seed=11,
            branches=4, coverage=0.85, miskeyed=3, now=SIM_NOW,
        )  # fmt: skip
        members = store.members()
        tested = {a.member_id for a in store.finished_attempts()}
        leaver = next(m for m in members if m.member_id in tested and m.category == "正式党员")
        keep = [RosterEntry(m.member_id, m.name, m.branch, m.category, None, 0) for m in members if m != leaver]
        store.import_roster(keep, now=SIM_NOW)
        # an attempt still running in December: started in the period, but not finished
        idle = next(m for m in members if m.member_id not in tested)
        lb = shipped.blueprint("member")
        from quizbank.generator import PaperGenerator

        draft = PaperGenerator(lb.blueprint, shipped.questions, blueprint_key="simulated:member").draw(5)
        start = datetime(2025, 12, 30, 10, 0).astimezone()
        store.start_attempt(idle.member_id, draft, started_at=start, deadline=start + timedelta(days=3650))
    return path
