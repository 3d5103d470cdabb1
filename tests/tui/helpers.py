"""Small helpers for pilot tests: the screen as plain text, waiting on the app."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

if TYPE_CHECKING:
    from quizbank_tui.screens import ExamScreen


def screen_text(app: App[object]) -> str:
    """What the terminal shows, as text (like ``tmux capture-pane``), for asserting and reading."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True, legacy_windows=False)
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text()


async def wait_for(pilot: Pilot[object], condition: Callable[[], bool], timeout: float = 3.0) -> None:
    """Let the app run until ``condition()`` holds (screens switch through messages)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting; screen is {type(pilot.app.screen).__name__}:\n{screen_text(pilot.app)}")
        await pilot.pause(0.01)
    await pilot.pause()  # and let the new state be drawn


async def login(pilot: Pilot[object], member_id: str = "1002", *, begin: bool = True) -> None:
    """Type an ID and Enter; with ``begin``, also Enter on the start screen (a fresh paper)."""
    from quizbank_tui.screens import ExamScreen, StartScreen

    await pilot.press(*member_id, "enter")
    await wait_for(pilot, lambda: pilot.app.screen.id != "login")
    if begin and isinstance(pilot.app.screen, StartScreen):
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExamScreen))


def exam(app: App[object]) -> ExamScreen:
    from quizbank_tui.screens import ExamScreen

    screen = app.screen
    assert isinstance(screen, ExamScreen), type(screen).__name__
    return screen
