"""The exam session: start, answer, mark, deadline, submit, resume; all with a fake clock."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from quizbank.errors import NotFoundError, SessionError
from quizbank.loader import Library
from quizbank.models import PaperQuestion
from quizbank.roster import RosterEntry
from quizbank.scoring import Response, score_paper
from quizbank.session import ExamSession
from quizbank.spotcheck import run_spotcheck
from quizbank.store import Store

from .synth import FakeClock


def right(q: PaperQuestion) -> Response:
    if q.type == "fill":
        assert isinstance(q.answer, tuple)
        return [b[0] for b in q.answer]
    return q.answer  # type: ignore[return-value]


def first_of(s: ExamSession, type: str) -> PaperQuestion:
    return next(q for q in s.paper.questions if q.type == type)


def test_a_new_attempt(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock, rng=random.Random(1))
    assert s.status == "in_progress"
    assert not s.resumed
    assert s.started_at == clock()
    assert s.deadline == clock() + timedelta(minutes=10)
    assert s.paper.blueprint == "测试member卷"
    assert s.remaining_s() == 600
    clock.advance(59.5)
    assert s.remaining_s() == 540.5
    assert s.unanswered() == list(range(1, 31))
    assert s.result is None


def test_same_rng_same_paper(db_path, library: Library, clock: FakeClock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    papers = []
    for name in ("a.db", "b.db"):
        with Store.open(tmp_path / name) as st:
            st.create_demo_roster()
            papers.append(ExamSession.open(st, library, "1002", clock=clock, rng=random.Random(7)).paper)
    assert papers[0] == papers[1]


def test_secretaries_get_the_secretary_paper_and_time_limit_overrides(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1011", clock=clock, time_limit_s=30)
    assert s.paper.blueprint == "测试secretary卷"
    assert s.deadline - s.started_at == timedelta(seconds=30)
    t = ExamSession.open(store, library, "1012", clock=clock, blueprint="secretary")
    assert t.paper.blueprint == "测试secretary卷"


def test_answers_and_marks_are_saved_before_returning(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    single, multiple, judge, fill = (first_of(s, t) for t in ("single", "multiple", "judge", "fill"))
    s.answer(single.no, "b")
    s.answer(multiple.no, "CA")
    s.answer(judge.no, False)
    s.answer(fill.no, ["一"])
    s.set_marked(judge.no, True)
    # another connection (another kiosk, or this one after a crash) sees every one of them
    with Store.open(store.path) as other:
        rec = other.attempt(s.attempt_id)
    got = {a.no: a.response for a in rec.answers if a.response is not None}
    blanks = len(fill.answer) if isinstance(fill.answer, tuple) else 1
    assert got == {single.no: "B", multiple.no: "AC", judge.no: False, fill.no: ("一",) + ("",) * (blanks - 1)}
    assert {a.no for a in rec.answers if a.marked} == {judge.no}
    s.answer(single.no, None)
    s.set_marked(judge.no, False)
    assert single.no not in s.responses
    assert s.marked == set()
    rec = store.attempt(s.attempt_id)
    assert rec.answers[single.no - 1].response is None
    assert not any(a.marked for a in rec.answers)


@pytest.mark.parametrize(
    ("type", "response", "message"),
    [
        ("single", "E", "not one of the options"),
        ("single", "AB", "one letter"),
        ("single", True, "not a judge question"),
        ("multiple", "AZ", "not one of the options"),
        ("judge", "A", "True .正确. or False"),
        ("fill", ["a", "b", "c"], "blank"),
        ("fill", [1], "blank"),
        ("fill", ["x" * 201], "at most 200"),
    ],
)
def test_bad_responses_are_refused(
    store: Store, library: Library, clock: FakeClock, type: str, response: Response, message: str
) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    with pytest.raises(SessionError, match=message):
        s.answer(first_of(s, type).no, response)
    with pytest.raises(SessionError, match="no question 31"):
        s.answer(31, "A")
    assert store.attempt(s.attempt_id).answers[0].response is None


def test_empty_answers_clear(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    fill, multiple = first_of(s, "fill"), first_of(s, "multiple")
    s.answer(fill.no, ["x"])
    assert isinstance(fill.answer, tuple)
    s.answer(fill.no, ["  "] * len(fill.answer))
    s.answer(multiple.no, "A")
    s.answer(multiple.no, "")
    assert s.responses == {}
    assert all(a.response is None for a in store.attempt(s.attempt_id).answers)


def test_submit_scores_what_was_stored_and_is_idempotent(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    for q in s.paper.questions[::2]:
        s.answer(q.no, right(q))
    clock.advance(120)
    score = s.submit()
    assert s.status == "submitted"
    assert s.result is score
    assert score.total == score_paper(s.paper, s.responses).total
    assert s.submit() is score
    rec = store.attempt(s.attempt_id)
    assert rec.submitted_at == clock()
    assert rec.score == score.score
    assert rec.passed == score.passed
    assert rec.digest is not None
    assert sum(a.points_awarded or 0 for a in rec.answers) == pytest.approx(score.score)
    with pytest.raises(SessionError, match="submitted"):
        s.answer(1, "A")
    with pytest.raises(SessionError, match="submitted"):
        s.set_marked(1, True)
    # the next login starts a new attempt
    t = ExamSession.open(store, library, "1002", clock=clock)
    assert t.attempt_id != s.attempt_id
    assert not t.resumed


def test_resume_after_a_crash(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    s.answer(1, right(s.paper.questions[0]))
    fill = first_of(s, "fill")
    s.answer(fill.no, ["甲"])
    s.set_marked(2, True)
    clock.advance(200)
    # the kiosk process dies; a new one opens the database and the member logs in again
    with Store.open(store.path) as st2:
        r = ExamSession.open(st2, library, "1002", clock=clock)
        assert r.resumed
        assert r.attempt_id == s.attempt_id
        assert r.paper == s.paper
        assert r.deadline == s.deadline
        assert r.started_at == s.started_at
        assert r.responses == s.responses
        assert isinstance(r.responses[fill.no], list)
        assert r.marked == {2}
        assert r.remaining_s() == 400


def test_the_kiosk_timer_expires_the_attempt(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    s.answer(1, right(s.paper.questions[0]))
    clock.advance(599)
    assert not s.check_deadline()
    clock.advance(1)
    assert s.check_deadline()
    assert s.status == "expired"
    assert s.result is not None
    assert s.result.score == s.paper.questions[0].points
    rec = store.attempt(s.attempt_id)
    assert rec.status == "expired"
    assert rec.submitted_at == s.deadline
    assert s.check_deadline()  # still expired, nothing more happens
    assert s.submit() is s.result


def test_an_answer_after_the_deadline_is_refused_and_expires(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    clock.advance(601)
    with pytest.raises(SessionError, match="time is up"):
        s.answer(1, "A")
    assert s.status == "expired"
    assert store.attempt(s.attempt_id).answers[0].response is None


def test_the_store_refuses_late_answers_whatever_the_kiosk_thinks(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    status = store.save_answer(s.attempt_id, 1, "A", now=s.deadline + timedelta(seconds=1))
    assert status == "expired"
    assert store.attempt(s.attempt_id).answers[0].response is None


def test_login_after_the_deadline_shows_the_expired_attempt(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    s.answer(1, right(s.paper.questions[0]))
    clock.advance(3 * 3600)  # the kiosk crashed and nobody came back for hours
    r = ExamSession.open(store, library, "1002", clock=clock)
    assert r.attempt_id == s.attempt_id
    assert r.resumed
    assert r.status == "expired"
    assert r.result is not None
    assert r.result.score > 0
    assert store.attempt(s.attempt_id).submitted_at == s.deadline
    assert store.open_attempt_id("1002") is None  # and no new attempt was started


def test_submit_after_the_deadline_counts_as_expired(store: Store, library: Library, clock: FakeClock) -> None:
    s = ExamSession.open(store, library, "1002", clock=clock)
    clock.advance(700)
    s.submit()
    assert s.status == "expired"
    assert store.attempt(s.attempt_id).submitted_at == s.deadline


def test_two_kiosks_one_member(store: Store, library: Library, clock: FakeClock) -> None:
    a = ExamSession.open(store, library, "1002", clock=clock)
    with Store.open(store.path) as other:
        b = ExamSession.open(other, library, "1002", clock=clock)
        assert b.attempt_id == a.attempt_id
        assert b.resumed
        b.answer(2, right(b.paper.questions[1]))
        b.submit()
    with pytest.raises(SessionError, match="submitted"):
        a.answer(1, "A")
    assert a.status == "submitted"
    assert a.result is not None
    assert 2 in a.responses  # the stored state wins


def test_new_papers_avoid_the_last_papers_questions(store: Store, library: Library, clock: FakeClock) -> None:
    first = ExamSession.open(store, library, "1002", clock=clock)
    first.submit()
    second = ExamSession.open(store, library, "1002", clock=clock)
    assert not second.paper.relaxed_exclusions
    assert not {q.id for q in first.paper.questions} & {q.id for q in second.paper.questions}


def test_a_spot_check_paper_is_taken_at_the_next_login(store: Store, library: Library, clock: FakeClock) -> None:
    sc = run_spotcheck(store, library, branch="一车间党支部", sample=2, blueprint="member", seed=3, clock=clock)
    a = sc.assignments[0]
    s = ExamSession.open(store, library, a.member_id, clock=clock)
    assert s.paper.paper_id == a.paper_id
    assert store.pending_assignment(a.member_id) is None
    rec = store.attempt(s.attempt_id)
    assert rec.assignment_id == a.assignment_id
    s.submit()
    assert ExamSession.open(store, library, a.member_id, clock=clock).paper.paper_id != a.paper_id


def test_inactive_and_unknown_members(store: Store, library: Library, clock: FakeClock) -> None:
    store.import_roster([RosterEntry("1002", "李秀英", "机关党总支", "正式党员", None, 2)])
    with pytest.raises(SessionError, match="no longer on the active roster"):
        ExamSession.open(store, library, "1003", clock=clock)
    with pytest.raises(NotFoundError):
        ExamSession.open(store, library, "4242", clock=clock)
    with pytest.raises(NotFoundError, match="no blueprint"):
        ExamSession.open(store, library, "1002", clock=clock, blueprint="nope")


def test_naive_clock_is_taken_as_local_time(store: Store, library: Library) -> None:
    from datetime import datetime

    s = ExamSession.open(store, library, "1002", clock=datetime.now)
    assert s.deadline.tzinfo is not None
    assert 599 < s.remaining_s() <= 600
