"""The countdown, its notices, auto-submit at the deadline, and resuming after a crash.

The clock is a fake the tests move; the app recomputes the countdown from the stored
deadline on its own timer (``tick_s``), so moving the clock is all a test has to do.
"""

from __future__ import annotations

from datetime import timedelta

from quizbank_tui.screens import AnswerCardScreen, ExamScreen, ResultScreen
from quizbank_tui.widgets import Countdown

from .conftest import SIZE, Kiosk
from .helpers import exam, login, screen_text, wait_for


def notices(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_countdown_is_computed_from_the_stored_deadline(kiosk: Kiosk) -> None:
    app = kiosk.app(tick_s=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        assert "剩余 30:00" in screen_text(app)
        kiosk.clock.advance(61.5)
        await wait_for(pilot, lambda: "剩余 28:59" in screen_text(app))
        assert kiosk.attempt().deadline == kiosk.attempt().started_at + timedelta(minutes=30)


async def test_time_limit_override(kiosk: Kiosk) -> None:
    app = kiosk.app(time_limit_s=90)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"1002", "enter")
        await wait_for(pilot, lambda: "考试时间 1 分 30 秒" in screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))
        assert "剩余 01:30" in screen_text(app)


async def test_notices_at_five_minutes_and_one_minute(kiosk: Kiosk) -> None:
    app = kiosk.app(tick_s=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        countdown = app.screen.query_one(Countdown)
        kiosk.clock.advance(25 * 60)  # 5:00 left
        await wait_for(pilot, lambda: any("不足5分钟" in n for n in notices(app)))
        assert countdown.has_class("-warning")
        assert "请抓紧" in screen_text(app)  # a word, not only a colour
        kiosk.clock.advance(4 * 60 + 1)  # 0:59 left
        await wait_for(pilot, lambda: any("不足1分钟" in n for n in notices(app)))
        assert countdown.has_class("-danger")
        assert "即将交卷" in screen_text(app)
        assert sum("不足" in n for n in notices(app)) == 2  # each notice once


async def test_auto_submit_at_zero_as_it_stands(kiosk: Kiosk) -> None:
    app = kiosk.app(tick_s=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("c", "pagedown", "f3", "f2")  # a dialog open at the deadline
        await wait_for(pilot, lambda: isinstance(app.screen, AnswerCardScreen))
        kiosk.clock.advance(30 * 60)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        rec = kiosk.attempt()
        assert rec.status == "expired"
        assert rec.score == 10
        text = screen_text(app)
        assert "考试时间到" in text
        assert "得分 10 分" in text


async def test_typed_blank_is_saved_just_before_the_deadline(kiosk: Kiosk) -> None:
    app = kiosk.app(tick_s=0.02, autosave_s=60)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await exam(app).show_question(4)
        await pilot.press(*"中国人民")
        kiosk.clock.advance(30 * 60 - 0.5)
        await wait_for(pilot, lambda: kiosk.attempt().answers[4].response is not None)
        kiosk.clock.advance(1)
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        assert kiosk.attempt().score == 25


async def test_answer_after_the_deadline_is_not_shown_as_saved(kiosk: Kiosk) -> None:
    app = kiosk.app(tick_s=3600)  # the timer will not notice: the key press must
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        kiosk.clock.advance(30 * 60 + 1)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        rec = kiosk.attempt()
        assert rec.status == "expired"
        assert all(a.response is None for a in rec.answers)


async def test_resume_after_the_app_is_torn_down_mid_exam(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("c", "pagedown", "f3", "pagedown", "a", "c")
        await pilot.press("pagedown", "pagedown", *"中国")  # typed, not yet saved by Enter
        await pilot.pause()
        paper_id = kiosk.attempt().paper_id
        deadline = kiosk.attempt().deadline
    # the app is gone (as after a crash; the context exit also ran the app's shutdown)
    kiosk.reopen()
    kiosk.clock.advance(120)
    app2 = kiosk.app(seed=99)  # another seed: a new paper would differ, a resumed one must not
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.press(*"1002", "enter")
        await wait_for(pilot, lambda: isinstance(app2.screen, ExamScreen))  # no start screen
        screen = exam(app2)
        s = screen.session
        assert s.resumed
        assert s.paper.paper_id == paper_id
        assert s.deadline == deadline
        assert s.responses[1] == "C"
        assert s.responses[3] == "AC"
        assert s.marked == {2}
        assert screen.question.no == 2  # the first unanswered question
        assert "剩余 28:00" in screen_text(app2)
        assert any("已恢复" in n for n in notices(app2))


async def test_app_shutdown_saves_a_typed_blank(kiosk: Kiosk) -> None:
    app = kiosk.app(autosave_s=60)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await exam(app).show_question(4)
        await pilot.press(*"中国人民")
        app.on_exit_signal(15)  # what SIGTERM does (the handler itself is tested under tmux)
        await pilot.pause()
    assert app.return_code == 128 + 15
    assert kiosk.attempt().answers[4].response == ("中国人民",)
    assert kiosk.attempt().status == "in_progress"  # the attempt waits for the member to log in again


async def test_login_after_the_deadline_shows_the_expired_result(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("c")
        await pilot.pause()
    kiosk.reopen()
    kiosk.clock.advance(3600)
    app2 = kiosk.app()
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.press(*"1002", "enter")
        await wait_for(pilot, lambda: isinstance(app2.screen, ResultScreen))
        assert "上次的考试已经到时间" in screen_text(app2)
        assert kiosk.attempt().status == "expired"
        assert kiosk.attempt().score == 10
