"""The result screen's review modes, the way back to login, and layout at 80×24 and after a resize."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App

from quizbank.loader import Library
from quizbank.models import Paper
from quizbank.scoring import score_paper
from quizbank_tui.screens import LoginScreen, ResultScreen
from quizbank_tui.theme import HIGH_CONTRAST
from quizbank_tui.widgets import QuestionView
from quizbank_tui.widgets.prose import Prose

from .conftest import SIZE, Kiosk
from .fakes import Member
from .helpers import exam, login, screen_text, wait_for

MEMBER = Member("1002", "李秀英", "机关党总支", "正式党员")
RESPONSES: dict[int, Any] = {1: "C", 2: "A", 3: "AB", 5: ["中国人民"]}  # 1 right, 2 wrong, 3 half, 4 unanswered


def _paper(library: Library, review: str) -> Paper:
    from quizbank.generator import PaperGenerator

    lb = library.blueprint("kiosk")
    paper = PaperGenerator(lb.blueprint, library.questions, blueprint_key="kiosk").draw(7)
    return paper.model_copy(update={"review": review})


class ResultHost(App[None]):
    CSS_PATH = "../../tui/quizbank_tui/kiosk.tcss"

    def __init__(self, screen: ResultScreen) -> None:
        super().__init__()
        self._result = screen
        self.done = False

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name
        self.push_screen(self._result)

    def on_result_screen_done(self) -> None:
        self.done = True


async def _review_text(library: Library, review: str) -> str:
    paper = _paper(library, review)
    screen = ResultScreen(MEMBER, paper, score_paper(paper, RESPONSES), RESPONSES, idle_s=60)
    app = ResultHost(screen)
    async with app.run_test(size=(80, 200)) as pilot:  # tall: the whole review at once
        await pilot.pause()
        return screen_text(app)


async def test_review_none_shows_no_score(library: Library) -> None:
    text = await _review_text(library, "none")
    assert "试卷已提交" in text
    assert "得分" not in text
    assert "正确答案" not in text


async def test_review_score_shows_score_and_subtotals_only(library: Library) -> None:
    text = await _review_text(library, "score")
    assert "得分 45 分（满分 100 分，60 分及格）    不合格" in text
    assert "党章  45 / 100 分" in text
    assert "正确答案" not in text


async def test_review_wrong_only_lists_what_was_not_fully_right(library: Library) -> None:
    text = await _review_text(library, "wrong_only")
    assert "答题回顾（未得满分的题），共 4 题" in text
    assert "第 1 题" not in text
    assert "第 5 题" not in text
    assert "第 2 题  单选题  答错  得 0 / 10 分" in text
    assert "第 3 题  多选题  部分得分  得 10 / 20 分" in text
    assert "第 4 题  判断题  未作答  得 0 / 10 分" in text
    assert "您的答案：AB    正确答案：ABC" in text
    assert "您的答案：未作答    正确答案：正确" in text
    assert "正确答案：实事求是；全心全意为人民服务" in text
    assert "解析：党章第三条列出党员的八项义务" in text


async def test_review_all_lists_every_question(library: Library) -> None:
    text = await _review_text(library, "all")
    for no in range(1, 7):
        assert f"第 {no} 题" in text
    assert "第 1 题  单选题  答对  得 10 / 10 分" in text


async def test_result_goes_back_to_login_on_enter_and_when_left_alone(kiosk: Kiosk) -> None:
    app = kiosk.app(idle_s=1.0)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f10", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        # the next member: a new attempt, then nobody touches the result screen
        await login(pilot, "1003")
        await pilot.press("f10", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert "李秀英" not in screen_text(app)
        assert "王志强" not in screen_text(app)


def _no_horizontal_overflow(app: App[Any]) -> None:
    for widget in app.screen.query("*"):
        if widget.display and widget.size.width:
            assert not getattr(widget, "show_horizontal_scrollbar", False), widget
    for prose in app.screen.query(Prose):
        if not prose.region:  # hidden (a choice row the question does not use)
            continue
        for line in prose.render().plain.split("\n"):
            from rich.cells import cell_len

            assert cell_len(line) <= max(prose.content_region.width, 1), (prose, line)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (132, 43)])
async def test_layout_fits_without_horizontal_scrolling(kiosk: Kiosk, size: tuple[int, int]) -> None:
    app = kiosk.app()
    async with app.run_test(size=size) as pilot:
        await login(pilot)
        for _ in range(6):
            _no_horizontal_overflow(app)
            await pilot.press("pagedown")
            await pilot.pause()


async def test_resize_rewraps_the_question(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=(160, 30)) as pilot:
        await login(pilot)
        stem = exam(app).view.query_one(".stem", Prose)
        wide = stem.size.height
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert stem.size.height > wide
        _no_horizontal_overflow(app)
        text = screen_text(app)
        assert "老同志看得清楚。" in text
        assert "剩余 30:00" in text
        assert "F10 交卷" in text
        await pilot.resize_terminal(160, 30)
        await pilot.pause()
        await pilot.pause()
        assert stem.size.height == wide


async def test_a_long_question_scrolls_with_up_and_down(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=(80, 11)) as pilot:  # smaller than the question on purpose
        await login(pilot)
        view = exam(app).query_one(QuestionView)
        assert view.max_scroll_y > 0
        await pilot.press("down", "down")
        await pilot.pause()
        assert view.scroll_y > 0
        assert exam(app).question.no == 1  # Down scrolls, it does not change the question


async def test_a_terminal_smaller_than_80_by_24_gets_a_notice(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert any("窗口太小" in str(n.message) for n in app._notifications)
