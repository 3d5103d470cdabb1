"""Snapshots at 80×24 with the clock frozen at 09:00 (the countdown reads 30:00).

Each test says what you should see. Update them only after looking at the report:
``pytest tests/tui/test_snapshots.py --snapshot-update`` and then open
``snapshot_report.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from .conftest import SIZE, Kiosk
from .helpers import exam, login, wait_for

SnapCompare = Callable[..., bool]


def test_login(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    """You should see the login box: the title, 请输入您的编号, an empty 编号 field with
    the cursor, no 口令 field, and Esc 重新输入 in the footer."""
    assert snap_compare(kiosk.app(), terminal_size=SIZE)


def test_login_wrong_pin(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    """You should see 编号 1010, an empty 口令 field, and in red: 口令不对，还可以再试 4 次。"""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press(*"1010", "enter")  # a member with a PIN
        await pilot.pause()
        await pilot.press(*"0000", "enter")  # wrong PIN
        await pilot.pause()

    assert snap_compare(kiosk.app(), terminal_size=SIZE, run_before=run_before)


def test_single_choice_with_a_choice_made(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    """You should see question 1/6 (单选题, 10 分, 已保存 ✓), the long stem wrapped over two
    lines, option C highlighted with [✓], the others [ ], and the keys in the footer;
    the header shows the paper, 李秀英（1002） and 剩余 30:00."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot)  # 1002, Enter on the start screen
        await pilot.press("c")
        await pilot.pause()

    assert snap_compare(kiosk.app(), terminal_size=SIZE, run_before=run_before)


def test_fill_question(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    """You should see question 6/6 (填空题) with its blanks numbered （ 1 ） and （ 2 ）,
    第1空 holding 实事求是 (saved), and the cursor in 第2空 after 全心."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot)
        await exam(pilot.app).show_question(5)
        await pilot.press(*"实事求是", "enter", *"全心")
        await pilot.pause()

    assert snap_compare(kiosk.app(autosave_s=3600), terminal_size=SIZE, run_before=run_before)


def test_answer_card(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    """You should see the 答题卡 dialog: 已答 2/6, 标记 1; cells 1 and 3 ticked, cell 2
    marked 标, and cell 3 (the current question) highlighted."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot)
        await pilot.press("c", "pagedown", "f3", "pagedown", "a", "f2")
        await pilot.pause()

    assert snap_compare(kiosk.app(), terminal_size=SIZE, run_before=run_before)


def test_submit_confirmation(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    """You should see 确认交卷？ with 已答 1 题, 未答的题：2、3、4、5、6 and 标记待查的题：2."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot)
        await pilot.press("c", "pagedown", "f3", "f10")
        await pilot.pause()

    assert snap_compare(kiosk.app(), terminal_size=SIZE, run_before=run_before)


def test_result(snap_compare: SnapCompare, kiosk: Kiosk) -> None:
    """You should see the result: 得分 45 分 … 不合格 in red, 分类得分 党章 45 / 100 分,
    then the review of question 1 (答对, in green) with the member's answer and the key."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await login(pilot)
        await pilot.press("c", "pagedown", "a", "pagedown", "a", "b", "pagedown", "pagedown")
        await pilot.press(*"中国人民", "enter", "f10", "y")
        await wait_for(pilot, lambda: pilot.app.screen.id == "result")

    assert snap_compare(kiosk.app(), terminal_size=SIZE, run_before=run_before)
