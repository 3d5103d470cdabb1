"""The exam: header with the countdown, one question at a time, keys in the footer.

Every answer goes through :meth:`SessionLike.answer`, which commits it before it returns;
only then does the screen show the choice as made ("已保存"). A fill blank is saved when
Enter is pressed, shortly after the member stops typing, and before any move away from
the question, so typed text survives everything but a kill in the last second of typing.

Saving is synchronous, on purpose: the frame that shows 已保存 is drawn after the commit
returned (a few milliseconds with SQLite's WAL), and the store's connection belongs to the
thread that opened it. Only the slow, read-only loading of the banks runs in a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from quizbank.errors import QuizbankError, SessionError
from quizbank.models import LETTERS
from quizbank.scoring import is_answered

from ..labels import TYPE_NAMES, choice_letters, format_points, options_of
from ..ports import SessionLike
from ..widgets import BlankInput, ChoiceRow, Countdown, QuestionView
from .answer_card import AnswerCardScreen
from .submit_confirm import SubmitConfirmScreen

if TYPE_CHECKING:
    from quizbank.models import PaperQuestion
    from quizbank.scoring import Response

__all__ = ["ExamScreen"]


def _choice_bindings() -> list[BindingType]:
    """A–H, a–h and 1–8 each choose an option (shift+a for terminals that report it so)."""
    return [Binding(f"{c.lower()},{c},shift+{c.lower()},{i + 1}", f"choose({i})", show=False) for i, c in enumerate(LETTERS)]


class ExamScreen(Screen[None], inherit_bindings=False):
    """One attempt in progress. Posts :class:`Finished` once it is submitted or expired."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The footer names the letter keys too; F24 (on no keyboard) is only there so that
        # clicking "A-H 选择" explains the keys instead of choosing A.
        Binding("f24", "choice_hint", "选择", key_display="A-H"),
        # priority: a focused blank (an Input) must not get these first
        Binding("pageup", "previous", "上一题", key_display="PgUp", priority=True),
        Binding("pagedown", "next", "下一题", key_display="PgDn", priority=True),
        Binding("f2", "card", "答题卡", key_display="F2", priority=True),
        Binding("f3", "mark", "标记", key_display="F3", priority=True),
        Binding("f10", "submit", "交卷", key_display="F10", priority=True),
        Binding("up", "line(-1)", show=False),
        Binding("down", "line(1)", show=False),
        *_choice_bindings(),
    ]

    AUTO_FOCUS = ""
    """Focus is placed by :meth:`show_question` (a blank, or nothing for a choice question)."""

    class Finished(Message):
        """The attempt is closed (submitted by the member, or expired at the deadline)."""

        def __init__(self, expired: bool) -> None:
            super().__init__()
            self.expired = expired

    def __init__(
        self,
        session: SessionLike,
        *,
        tick_s: float = 0.25,
        autosave_s: float = 0.8,
        notice_at_s: tuple[int, ...] = (300, 60),
    ) -> None:
        super().__init__(id="exam")
        self.session = session
        self.questions: tuple[PaperQuestion, ...] = session.paper.questions
        self.index = 0
        self.tick_s = tick_s
        self.autosave_s = autosave_s
        self.notice_at_s = tuple(sorted(notice_at_s, reverse=True))
        self._noticed: set[int] = set()
        self._dirty = False
        self._autosave: Timer | None = None
        self._finishing = False
        self._save_error = False
        self._fill_footer = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        s = self.session
        with Horizontal(id="exam-header"):
            yield Static(Content(s.paper.blueprint), id="paper-title", markup=False)
            yield Static(Content(f"{s.member.name}（{s.member.member_id}）"), id="member-name", markup=False)
            yield Countdown(
                s.remaining_s(),
                warn_at=self.notice_at_s[0] if self.notice_at_s else 0,
                danger_at=self.notice_at_s[-1] if self.notice_at_s else 0,
                id="countdown",
            )
        with Horizontal(id="question-info"):
            yield Static(id="q-position", markup=False)
            yield Static(id="q-state", markup=False)
        unanswered = s.unanswered()
        self.index = unanswered[0] - 1 if unanswered and s.resumed else 0
        with Vertical(id="question-holder"):
            yield QuestionView(self.question, s.responses.get(self.question.no))
        yield Footer(show_command_palette=False)

    async def on_mount(self) -> None:
        await self.show_question(self.index)
        self.set_interval(self.tick_s, self.check_time)
        self.check_time()

    @property
    def question(self) -> PaperQuestion:
        return self.questions[self.index]

    @property
    def view(self) -> QuestionView:
        return self.query_one(QuestionView)

    async def show_question(self, index: int) -> None:
        """Put question ``index`` (0-based) on screen, with its saved answer."""
        self.index = max(0, min(index, len(self.questions) - 1))
        q = self.question
        view = self.view
        view.show(q, self.session.responses.get(q.no))
        self._dirty = False
        if q.type == "fill":
            values = view.blank_values()
            empty = [i for i, v in enumerate(values) if not v]
            target = view.blank(empty[0] if empty else 0)
            if target is not None:
                self.set_focus(target)
        else:
            self.set_focus(None)
        self.update_info()
        if (q.type == "fill") != self._fill_footer:  # the footer rebuilds itself: only when it changes
            self._fill_footer = q.type == "fill"
            self.refresh_bindings()

    def update_info(self) -> None:
        q = self.question
        total = len(self.questions)
        self.query_one("#q-position", Static).update(
            Content(f"第 {q.no}/{total} 题  {TYPE_NAMES[q.type]}  {format_points(q.points)} 分")
        )
        if self._save_error:
            state = "未能保存！请举手找管理员"
        elif self._dirty:
            state = "输入中，未保存"
        elif is_answered(self.session.responses.get(q.no)):
            state = "已保存 ✓"
        else:
            state = "未作答"
        if q.no in self.session.marked:
            state = "标记待查  " + state
        widget = self.query_one("#q-state", Static)
        widget.update(Content(state))
        widget.set_class(self._save_error, "-error")
        widget.set_class(q.no in self.session.marked, "-marked")

    # ------------------------------------------------------------------ saving
    def _save(self, no: int, response: Response) -> bool:
        """Commit one answer through the session; False (and the screen unchanged) if it failed."""
        if self._finishing:
            return False
        if self.session.remaining_s() <= 0:
            self.time_up()
            return False
        try:
            self.session.answer(no, response)
        except SessionError as e:
            if self.session.status != "in_progress":  # the deadline passed, or another kiosk closed it
                self.time_up()
            else:
                self.app.notify(f"这个答案不能保存：{e}", severity="error", markup=False)
            return False
        except QuizbankError as e:
            self._save_error = True
            self.update_info()
            self.app.notify(f"答案没有保存：{e}。请举手请管理员处理。", severity="error", timeout=15, markup=False)
            return False
        self._save_error = False
        return True

    def flush_pending(self) -> bool:
        """Save what is typed in the blanks but not yet saved; False if saving failed."""
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        if not self._dirty or self.question.type != "fill":
            return True
        values = self.view.blank_values()
        response: Response = values if any(v.strip() for v in values) else None
        if not self._save(self.question.no, response):
            return False
        self.view.show_response(response)
        self._dirty = False
        self.update_info()
        return True

    # ------------------------------------------------------------------ keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choice_hint":
            return self.question.type != "fill"  # hidden from the footer for a fill question
        return True

    def action_choice_hint(self) -> None:
        n = len(options_of(self.question))
        self.app.notify(f"按字母A-{LETTERS[n - 1]}或数字1-{n}选择答案，也可以直接点选项。", timeout=5, markup=False)

    def action_choose(self, index: int) -> None:
        q = self.question
        if q.type == "fill":
            blank = self.view.blank(0)
            if blank is not None:
                self.set_focus(blank)
            return
        if index >= len(options_of(q)):
            self.app.bell()
            return
        letter = LETTERS[index]
        response: Response
        if q.type == "judge":
            response = index == 0
        elif q.type == "single":
            response = letter
        else:
            chosen = choice_letters(q, self.session.responses.get(q.no))
            chosen ^= {letter}
            response = "".join(sorted(chosen)) or None
        if self._save(q.no, response):
            self.view.show_response(response)
            self.update_info()

    def on_choice_row_clicked(self, event: ChoiceRow.Clicked) -> None:
        event.stop()
        self.action_choose(event.index)

    async def action_next(self) -> None:
        if not self.flush_pending():
            return
        if self.index + 1 >= len(self.questions):
            self.app.notify("已经是最后一题。检查完后按 F10 交卷。", timeout=4, markup=False)
            return
        await self.show_question(self.index + 1)

    async def action_previous(self) -> None:
        if not self.flush_pending():
            return
        if self.index == 0:
            self.app.notify("已经是第一题。", timeout=3, markup=False)
            return
        await self.show_question(self.index - 1)

    def action_line(self, step: int) -> None:
        """Up/Down: between the blanks of a fill question, else scroll a long question."""
        focused = self.focused
        if isinstance(focused, BlankInput):
            target = self.view.blank(focused.index + step)
            if target is not None:
                self.set_focus(target)
            return
        if step > 0:
            self.view.scroll_down()
        else:
            self.view.scroll_up()

    def action_mark(self) -> None:
        q = self.question
        marked = q.no not in self.session.marked
        if self._finishing:
            return
        try:
            self.session.set_marked(q.no, marked)
        except SessionError:
            if self.session.status != "in_progress":
                self.time_up()
            return
        except QuizbankError as e:
            self.app.notify(f"标记没有保存：{e}", severity="error", markup=False)
            return
        self.update_info()

    def action_card(self) -> None:
        if not self.flush_pending():
            return
        s = self.session
        screen = AnswerCardScreen(self.questions, s.responses, s.marked, self.question.no)
        self.app.push_screen(screen, self._jump)

    async def _jump(self, no: int | None) -> None:
        if no is not None and not self._finishing:
            await self.show_question(no - 1)

    def action_submit(self) -> None:
        if not self.flush_pending():
            return
        s = self.session
        screen = SubmitConfirmScreen(len(self.questions), s.unanswered(), sorted(s.marked))
        self.app.push_screen(screen, self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        if not yes or self._finishing:
            return
        try:
            self.session.submit()
        except QuizbankError as e:
            self.app.notify(f"交卷没有成功：{e}。请举手请管理员处理。", severity="error", timeout=15, markup=False)
            return
        self._finishing = True
        self.post_message(self.Finished(expired=self.session.status == "expired"))

    # ------------------------------------------------------------------ blanks
    def on_input_changed(self, event: Input.Changed) -> None:
        if not isinstance(event.input, BlankInput):
            return
        event.stop()
        saved = self.view.saved_blank_values()
        self._dirty = self.view.blank_values() != saved
        self.update_info()
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(self.autosave_s, self.flush_pending) if self._dirty else None

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        if not isinstance(event.input, BlankInput):
            return
        event.stop()
        index = event.input.index
        self._dirty = True  # Enter always saves, even text that was saved already
        if not self.flush_pending():
            return
        target = self.view.blank(index + 1)
        if target is not None:
            self.set_focus(target)
        elif self.index + 1 < len(self.questions):
            await self.show_question(self.index + 1)

    # ------------------------------------------------------------------ time
    def check_time(self) -> None:
        """Recompute the countdown from the stored deadline; notices; submit at zero."""
        if self._finishing:
            return
        if self.session.status != "in_progress":
            self.time_up()
            return
        remaining = self.session.remaining_s()
        self.query_one(Countdown).remaining = remaining
        passed = [t for t in self.notice_at_s if remaining <= t and t not in self._noticed]
        if passed and remaining > 0:
            self._noticed.update(t for t in self.notice_at_s if t >= min(passed))
            minutes = min(passed) // 60
            # no spaces around the number: Textual wraps toasts at spaces, not between Chinese characters
            when = f"{minutes}分钟" if minutes else f"{min(passed)}秒"
            self.app.notify(
                f"剩余时间不足{when}，请抓紧检查。时间到会自动交卷。",
                title="时间提醒",
                severity="warning",
                timeout=10,
                markup=False,
            )
        if self._dirty and remaining <= max(2 * self.tick_s, 1.0):
            self.flush_pending()
        if remaining <= 0:
            self.time_up()

    def time_up(self) -> None:
        """The deadline passed: the session submits the attempt as it stands."""
        if self._finishing:
            return
        self._finishing = True
        try:
            self.session.check_deadline()
        except QuizbankError as e:
            self.app.notify(f"自动交卷没有成功：{e}", severity="error", markup=False)
        self.post_message(self.Finished(expired=True))
