"""Login: unknown IDs, PINs, the five-wrong-PINs lockout, and a good login."""

from __future__ import annotations

from quizbank.loader import Library
from quizbank_tui.screens import LoginScreen, StartScreen

from .conftest import SIZE, Kiosk
from .helpers import screen_text, wait_for

PIN_MEMBER = "1010"  # the demo roster's member with a PIN
PIN = "1234"


async def test_unknown_id_gets_a_plain_message_and_stays_on_login(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"4242", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert "没有找到编号 4242" in screen_text(app)
        # the field is cleared for the next try
        assert app.screen.query_one("#member-id").value == ""  # type: ignore[attr-defined]


async def test_empty_id_asks_for_one(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "请先输入编号" in screen_text(app)


async def test_login_success_shows_the_start_screen(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"1002", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        text = screen_text(app)
        assert "党章知识测试（界面测试卷）" in text
        assert "李秀英（编号 1002，机关党总支）" in text
        assert "考试时间 30 分钟" in text
        assert "单项选择题  2 题，每题 10 分，共 20 分" in text
        # no attempt yet: reading the rules costs no exam time
        assert list(kiosk.store.attempts(member_id="1002")) == []


async def test_start_screen_escape_goes_back_to_login(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"1002", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))


async def test_start_screen_returns_to_login_when_left_alone(kiosk: Kiosk) -> None:
    app = kiosk.app(idle_s=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"1002", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen), timeout=5)
        assert list(kiosk.store.attempts(member_id="1002")) == []  # walked away: no attempt


async def test_pin_is_asked_then_accepted(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*PIN_MEMBER, "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert "请输入口令" in screen_text(app)
        assert app.screen.query_one("#pin").display
        await pilot.press(*PIN, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        assert "吴春梅" in screen_text(app)


async def test_wrong_pin_counts_down_then_locks_the_member_out(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*PIN_MEMBER, "enter")
        await pilot.pause()
        for left in (4, 3, 2, 1):
            await pilot.press(*"0000", "enter")
            await pilot.pause()
            assert f"口令不对，还可以再试 {left} 次" in screen_text(app)
        await pilot.press(*"0000", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "已暂时锁定" in text
        assert "09:05" in text  # the fake clock says 09:00; the lock lasts five minutes
        # even the right PIN is refused during the lock, and the lock is in the database
        await pilot.press(*PIN_MEMBER, "enter")
        await pilot.pause()
        assert "已暂时锁定" in screen_text(app)
        assert kiosk.store.login_state(PIN_MEMBER).locked_until is not None
        # five minutes later the member gets in
        kiosk.clock.advance(301)
        await pilot.press(*PIN_MEMBER, "enter")
        await pilot.pause()
        await pilot.press(*PIN, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))


async def test_escape_clears_the_fields(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*PIN_MEMBER, "enter")
        await pilot.pause()
        await pilot.press("1", "escape")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#member-id").value == ""  # type: ignore[attr-defined]
        assert not screen.query_one("#pin").display


async def test_login_while_the_banks_are_still_loading_carries_on_when_they_are(kiosk: Kiosk) -> None:
    import threading

    release = threading.Event()

    def slow_library() -> Library:
        release.wait(5)
        return kiosk.library

    app = kiosk.app(library=slow_library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"1002", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert any("正在准备试题" in str(n.message) for n in app._notifications)
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))


async def test_banks_that_fail_to_load_are_reported_and_logins_refused(kiosk: Kiosk) -> None:
    from quizbank.errors import InfeasibleError

    def broken() -> Library:
        raise InfeasibleError("blueprint 'member' cannot be met by the banks", ["topics[0] 党章 count: needs 6, has 0"])

    app = kiosk.app(library=broken)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: bool(app.library_error))
        await pilot.press(*"1002", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "题库或组卷方案有问题" in messages
        assert "考试无法开始" in messages
        assert list(kiosk.store.attempts(member_id="1002")) == []
