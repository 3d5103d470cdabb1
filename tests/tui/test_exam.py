"""The exam screen with the keys of DESIGN.md: choosing, typing blanks, moving, marking,
the answer card and the submit confirmation. Every answer is checked in the database.

The test paper (tests/tui/data): 1 single, 2 single with markup, 3 multiple (ABC),
4 judge (true), 5 fill (中国人民), 6 fill with two blanks (实事求是 / 全心全意为人民服务).
"""

from __future__ import annotations

from quizbank_tui.screens import AnswerCardScreen, ResultScreen, SubmitConfirmScreen
from quizbank_tui.widgets import BlankInput, ChoiceRow

from .conftest import SIZE, FakeKiosk, Kiosk
from .helpers import exam, login, screen_text, wait_for


def saved(kiosk: Kiosk, member_id: str = "1002") -> dict[int, object]:
    """What the database holds for the member's latest attempt."""
    return {
        a.no: list(a.response) if isinstance(a.response, tuple) else a.response
        for a in kiosk.attempt(member_id).answers
        if a.response is not None
    }


def chosen_rows(app: object) -> list[str]:
    return [row.letter for row in exam(app).query(ChoiceRow) if row.chosen]  # type: ignore[arg-type]


async def test_single_choice_by_letter_and_by_digit(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert saved(kiosk) == {1: "B"}
        assert chosen_rows(app) == ["B"]
        await pilot.press("3")  # 3 is C
        await pilot.pause()
        assert saved(kiosk) == {1: "C"}
        assert chosen_rows(app) == ["C"]
        text = screen_text(app)
        assert "[✓] C." in text
        assert "[ ] B." in text
        assert "已保存" in text
        await pilot.press("C")  # upper case too
        await pilot.pause()
        assert saved(kiosk) == {1: "C"}


async def test_a_letter_beyond_the_options_does_nothing(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("h", "8")
        await pilot.pause()
        assert saved(kiosk) == {}
        assert chosen_rows(app) == []


async def test_multiple_choice_toggles(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert exam(app).question.type == "multiple"
        await pilot.press("a", "b", "c")
        await pilot.pause()
        assert saved(kiosk) == {3: "ABC"}
        await pilot.press("b")  # again: unchosen
        await pilot.pause()
        assert saved(kiosk) == {3: "AC"}
        assert chosen_rows(app) == ["A", "C"]
        await pilot.press("1", "3")  # both off: no answer at all
        await pilot.pause()
        assert saved(kiosk) == {}
        assert "未作答" in screen_text(app)


async def test_judge_is_a_true_b_false(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert exam(app).question.type == "judge"
        text = screen_text(app)
        assert "A.  正确" in text.replace("[ ] ", "").replace("[ ]", "") or "A. 正确" in text
        await pilot.press("a")
        await pilot.pause()
        assert saved(kiosk) == {4: True}
        await pilot.press("2")
        await pilot.pause()
        assert saved(kiosk) == {4: False}
        assert chosen_rows(app) == ["B"]


async def test_fill_typing_enter_goes_to_the_next_blank_then_the_next_question(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        exam(app)
        await exam(app).show_question(5)  # question 6: two blanks
        await pilot.pause()
        focused = app.focused
        assert isinstance(focused, BlankInput)
        assert focused.index == 0
        await pilot.press(*"实事求是", "enter")
        await pilot.pause()
        assert saved(kiosk) == {6: ["实事求是", ""]}
        focused = app.focused
        assert isinstance(focused, BlankInput)
        assert focused.index == 1
        # letters and digits are text here, not choices
        await pilot.press(*"全心全意为人民服务a1", "backspace", "backspace", "enter")
        await pilot.pause()
        assert saved(kiosk) == {6: ["实事求是", "全心全意为人民服务"]}
        # last blank of the last question: Enter stays (there is no next question)
        assert exam(app).question.no == 6
        assert "已保存" in screen_text(app)


async def test_fill_enter_on_the_last_blank_moves_on(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await exam(app).show_question(4)  # question 5: one blank
        await pilot.press(*"中国人民", "enter")
        await pilot.pause()
        assert saved(kiosk) == {5: ["中国人民"]}
        assert exam(app).question.no == 6


async def test_fill_is_saved_when_typing_stops_and_when_leaving(kiosk: Kiosk) -> None:
    app = kiosk.app(autosave_s=0.5)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await exam(app).show_question(4)
        await pilot.press(*"中国")
        assert "输入中" in screen_text(app)
        assert saved(kiosk) == {}  # typed, not saved yet: the screen says so
        await wait_for(pilot, lambda: saved(kiosk) == {5: ["中国"]})
        await wait_for(pilot, lambda: "已保存" in screen_text(app))
        await pilot.press(*"人民", "pageup")  # leaving saves at once
        await pilot.pause()
        assert saved(kiosk) == {5: ["中国人民"]}
        assert exam(app).question.no == 4
        await pilot.press("pagedown")
        await pilot.pause()
        blank = app.focused
        assert isinstance(blank, BlankInput)
        assert blank.value == "中国人民"


async def test_up_and_down_move_between_blanks(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await exam(app).show_question(5)
        await pilot.press("down")
        assert isinstance(app.focused, BlankInput)
        assert app.focused.index == 1
        await pilot.press("up")
        assert isinstance(app.focused, BlankInput)
        assert app.focused.index == 0


async def test_navigation_with_page_keys(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        screen = exam(app)
        assert screen.question.no == 1
        await pilot.press("pageup")  # nothing before the first
        await pilot.pause()
        assert screen.question.no == 1
        for no in range(2, 7):
            await pilot.press("pagedown")
            await pilot.pause()
            assert screen.question.no == no
            assert f"第 {no}/6 题" in screen_text(app)
        await pilot.press("pagedown")  # nothing after the last
        await pilot.pause()
        assert screen.question.no == 6
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        assert screen.question.no == 4


async def test_mark_for_review(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("pagedown", "f3")
        await pilot.pause()
        assert "标记待查" in screen_text(app)
        assert [a.no for a in kiosk.attempt().answers if a.marked] == [2]
        await pilot.press("f3")
        await pilot.pause()
        assert "标记待查" not in screen_text(app)
        assert [a.no for a in kiosk.attempt().answers if a.marked] == []


async def test_answer_card_shows_state_and_jumps(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("c", "pagedown", "f3", "f2")
        await wait_for(pilot, lambda: isinstance(app.screen, AnswerCardScreen))
        text = screen_text(app)
        assert "已答 1/6" in text
        assert "标记 1" in text
        assert " 1 ✓" in text
        assert " 2   标" in text
        # the card opens on the current question; right, right → 4; Enter jumps there
        assert getattr(app.focused, "no", None) == 2
        await pilot.press("right", "right", "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, AnswerCardScreen))
        assert exam(app).question.no == 4


async def test_answer_card_escape_and_mouse(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, AnswerCardScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, AnswerCardScreen))
        assert exam(app).question.no == 1
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, AnswerCardScreen))
        await pilot.click("#cell-5")
        await wait_for(pilot, lambda: not isinstance(app.screen, AnswerCardScreen))
        assert exam(app).question.no == 5


async def test_clicking_a_choice_chooses_it(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.click("#choice-D")
        await pilot.pause()
        assert saved(kiosk) == {1: "D"}


async def test_submit_confirmation_lists_unanswered_and_marked(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("c", "pagedown", "f3", "f10")
        await wait_for(pilot, lambda: isinstance(app.screen, SubmitConfirmScreen))
        text = screen_text(app)
        assert "共 6 题，已答 1 题，未答 5 题" in text
        assert "未答的题：2、3、4、5、6" in text
        assert "标记待查的题：2" in text
        await pilot.press("escape")  # back to the paper, nothing submitted
        await wait_for(pilot, lambda: not isinstance(app.screen, SubmitConfirmScreen))
        assert kiosk.attempt().status == "in_progress"
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, SubmitConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        rec = kiosk.attempt()
        assert rec.status == "submitted"
        assert rec.score == 10
        assert "得分 10 分" in screen_text(app)


async def test_submit_with_enter(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f10")
        await wait_for(pilot, lambda: isinstance(app.screen, SubmitConfirmScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        assert kiosk.attempt().status == "submitted"


async def test_full_marks_paper(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("c", "pagedown", "c", "pagedown", "a", "b", "c", "pagedown", "a", "pagedown")
        await pilot.press(*"中国人民", "enter", *"实事求是", "enter", *"全心全意为人民服务", "enter", "f10", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultScreen))
        assert kiosk.attempt().score == 100
        text = screen_text(app)
        assert "得分 100 分" in text
        assert "合格" in text
        assert "不合格" not in text


async def test_a_failed_save_is_not_shown_as_saved(fake_kiosk: FakeKiosk) -> None:
    app = fake_kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        fake_kiosk.store.fail_writes = True
        await pilot.press("c")
        await pilot.pause()
        assert chosen_rows(app) == []
        text = screen_text(app)
        assert "未能保存" in text
        fake_kiosk.store.fail_writes = False
        await pilot.press("c")
        await pilot.pause()
        assert chosen_rows(app) == ["C"]
        assert "已保存" in screen_text(app)


async def test_footer_names_the_letter_keys_except_for_a_fill_question(kiosk: Kiosk) -> None:
    app = kiosk.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert footer.split() == ["A-H", "选择", "PgUp", "上一题", "PgDn", "下一题", "F2", "答题卡", "F3", "标记", "F10", "交卷"]
        await pilot.click("FooterKey")  # clicking "A-H 选择" explains the keys and chooses nothing
        await pilot.pause()
        assert any("按字母A-D或数字1-4" in str(n.message) for n in app._notifications)
        assert saved(kiosk) == {}
        await exam(app).show_question(4)
        await pilot.pause()
        assert "A-H" not in screen_text(app).splitlines()[-1]
