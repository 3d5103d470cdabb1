"""Lockdown: the keys members press to get out do nothing; only F12 and the admin PIN leave;
question text is shown literally, never run as markup."""

from __future__ import annotations

import os

import pytest
from textual.app import App

from quizbank_tui.app import KioskApp
from quizbank_tui.screens import AdminExitScreen, ExamScreen, LoginScreen, StartScreen

from .conftest import ADMIN_PIN, SIZE, Kiosk
from .helpers import exam, login, screen_text, wait_for

ESCAPE_KEYS = ["ctrl+c", "ctrl+q", "ctrl+z", "ctrl+backslash", "ctrl+p", "ctrl+d", "escape", "tab"]


def test_textual_switches_are_off() -> None:
    assert KioskApp.ENABLE_COMMAND_PALETTE is False
    # no binding is inherited from App (ctrl+q quit, ctrl+c help_quit)
    own = {b.key for b in KioskApp.BINDINGS if not isinstance(b, tuple | str)}  # type: ignore[union-attr]
    assert own == {"f12", "ctrl+c,ctrl+q,ctrl+z,ctrl+backslash,ctrl+p"}
    for screen in (LoginScreen, StartScreen, ExamScreen):
        keys = " ".join(getattr(b, "key", "") for b in screen.BINDINGS)
        assert "tab" not in keys
        assert "ctrl+c" not in keys


@pytest.mark.parametrize("where", ["login", "start", "exam"])
async def test_escape_keys_do_nothing(kiosk: Kiosk, where: str) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        if where == "start":
            await pilot.press(*"1002", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        elif where == "exam":
            await login(pilot)
        screen = app.screen
        for key in ESCAPE_KEYS:
            if where == "start" and key == "escape":
                continue  # Esc on the start screen is "back to login", on purpose
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running, key
            assert app.screen is screen, key
        assert app.return_code is None
        assert "CommandPalette" not in [type(s).__name__ for s in app.screen_stack]


async def test_textual_allow_signals_is_dropped(kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ALLOW_SIGNALS", "1")
    kiosk.app()
    assert "TEXTUAL_ALLOW_SIGNALS" not in os.environ


async def test_f12_with_a_wrong_pin_stays_and_with_the_admin_pin_leaves(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, AdminExitScreen))
        await pilot.press(*"1111", "enter")
        await pilot.pause()
        assert "口令不对" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, AdminExitScreen))
        await pilot.press(*ADMIN_PIN, "enter")
        await pilot.pause()
    assert app.return_code == 0
    assert kiosk.attempt().status == "in_progress"  # leaving submits nothing


async def test_f12_typing_a_question_answer_into_the_pin_field_does_not_answer(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f12", "a", "b", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ExamScreen))
        assert all(a.response is None for a in kiosk.attempt().answers)


async def test_too_many_wrong_admin_pins_stop_f12_for_a_while(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2):
            await pilot.press("f12")
            await wait_for(pilot, lambda: isinstance(app.screen, AdminExitScreen))
            for _ in range(3):
                await pilot.press(*"0", "enter")
                await pilot.pause()
            await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)  # locked: F12 does nothing
        kiosk.clock.advance(KioskApp.ADMIN_LOCK_S + 1)
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, AdminExitScreen))


async def test_markup_in_a_stem_and_options_is_shown_literally(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("pagedown")
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]退出[/]" in text
        assert "[b]粗体[/b]" in text
        assert "[link=https://example.com]链接[/link]" in text
        assert "[red]红色[/red]" in text
        assert "[@click=app.bell]响铃[/]" in text
        # clicking the text runs nothing (it would quit the app if it were markup)
        stem = exam(app).view.query_one(".stem")
        await pilot.click(stem, offset=(2, 0))
        await pilot.click("#choice-B", offset=(12, 0))
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert isinstance(app.screen, ExamScreen)


async def test_markup_in_the_review_is_shown_literally(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f10", "y")
        await wait_for(pilot, lambda: app.screen.id == "result")
        seen = screen_text(app)
        for _ in range(4):
            await pilot.press("pagedown")
            await pilot.pause()
            seen += screen_text(app)
        assert "[@click=app.quit]退出[/]" in seen
        assert "[@click=app.bell]响铃[/]" in seen


def test_app_is_a_textual_app() -> None:
    assert issubclass(KioskApp, App)


async def test_actions_that_leave_do_nothing_even_if_reached(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        for action in ("quit", "suspend_process", "command_palette"):
            await app.run_action(action)
            await pilot.pause()
            assert app.is_running, action
        app.open_url("https://example.com")
        assert isinstance(app.screen, LoginScreen)
        assert app.return_code is None
