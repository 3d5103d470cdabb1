"""Spot checks: least recently tested first, seeded ties, distinct papers, deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizbank.errors import InfeasibleError, NotFoundError
from quizbank.loader import Library
from quizbank.session import ExamSession
from quizbank.spotcheck import run_spotcheck
from quizbank.store import Store

from .synth import FakeClock

BRANCH = "一车间党支部"


def test_sample_is_deterministic_per_seed(tmp_path: Path, library: Library, clock: FakeClock) -> None:
    runs = []
    for name in ("a.db", "b.db", "c.db"):
        with Store.open(tmp_path / name) as st:
            st.create_demo_roster(now=clock())
            seed = 99 if name != "c.db" else 100
            sc = run_spotcheck(st, library, branch=BRANCH, sample=4, blueprint="member", seed=seed, clock=clock)
            runs.append([(a.member_id, a.paper_id) for a in sc.assignments])
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_least_recently_tested_first(store: Store, library: Library, clock: FakeClock) -> None:
    tested = ["1011", "1012", "1013", "1014", "1015", "1016", "1017"]  # in this order, a day apart
    for mid in tested:
        ExamSession.open(store, library, mid, clock=clock).submit()
        clock.advance(86_400)
    sc = run_spotcheck(store, library, branch=BRANCH, sample=5, blueprint="member", seed=1, clock=clock)
    picked = [a.member_id for a in sc.assignments]
    assert set(picked[:3]) == {"1018", "1019", "1020"}  # never tested: first, in seeded order
    assert picked[3:] == ["1011", "1012"]  # then the longest ago
    assert len({a.paper_id for a in sc.assignments}) == 5  # a paper each
    assert all(a.state == "pending" for a in sc.assignments)
    # those just assigned a paper now count as recently tested
    again = run_spotcheck(store, library, branch=BRANCH, sample=2, blueprint="member", seed=1, clock=clock)
    assert [a.member_id for a in again.assignments] == ["1013", "1014"]


def test_a_new_spot_check_supersedes_a_pending_paper(store: Store, library: Library, clock: FakeClock) -> None:
    first = run_spotcheck(store, library, branch=BRANCH, sample=10, blueprint="member", seed=1, clock=clock)
    clock.advance(60)
    second = run_spotcheck(store, library, branch=BRANCH, sample=10, blueprint="secretary", seed=2, clock=clock)
    old = {a.member_id: a.paper_id for a in first.assignments}
    new = {a.member_id: a.paper_id for a in second.assignments}
    for mid in new:
        pending = store.pending_assignment(mid)
        assert pending is not None
        assert pending.paper_id == new[mid] != old[mid]


def test_papers_avoid_the_members_recent_questions(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1011", clock=clock)
    s.submit()
    sc = run_spotcheck(store, library, branch=BRANCH, sample=10, blueprint="member", seed=5, clock=clock)
    paper = sc.papers[next(a.paper_id for a in sc.assignments if a.member_id == "1011")]
    assert not {q.id for q in paper.questions} & {q.id for q in s.paper.questions}


def test_sample_larger_than_the_branch(store: Store, library: Library, clock: FakeClock) -> None:
    with pytest.raises(InfeasibleError, match="10 active members; cannot sample 11") as e:
        run_spotcheck(store, library, branch=BRANCH, sample=11, blueprint="member", seed=1, clock=clock)
    assert e.value.exit_code == 3
    assert store.pending_assignment("1011") is None


def test_unknown_branch_and_blueprint(store: Store, library: Library, clock: FakeClock) -> None:
    with pytest.raises(NotFoundError, match="三车间"):
        run_spotcheck(store, library, branch="三车间", sample=1, blueprint="member", seed=1, clock=clock)
    with pytest.raises(NotFoundError, match="blueprint"):
        run_spotcheck(store, library, branch=BRANCH, sample=1, blueprint="nope", seed=1, clock=clock)
