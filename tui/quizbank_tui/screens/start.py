"""Start: what the paper holds and how the keys work; Enter begins (and starts the clock)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from ..labels import format_minutes, format_points, section_line
from ..ports import MemberLike
from ..widgets import Prose

if TYPE_CHECKING:
    from quizbank.models import Blueprint

__all__ = ["RULES", "StartScreen"]

RULES = (
    "A-H 或 1-8 选择答案；多选题可选多项，再按一次取消。",
    "判断题：A 为正确，B 为错误。",
    "填空题：直接打字作答，Enter 到下一空。",
    "PageDown 下一题，PageUp 上一题；F2 答题卡，F3 标记本题。",
    "F10 交卷，交卷前会列出未答和标记的题。",
    "每一题的答案都立即保存；时间到会自动交卷。",
)


class StartScreen(Screen[None], inherit_bindings=False):
    """Describes the paper before the clock starts. The session is opened only on Enter.

    The attempt's deadline is fixed when the session opens, so reading this page costs the
    member no exam time. Left alone for ``idle_s`` it returns to login.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "begin", "开始考试", key_display="Enter"),
        Binding("escape", "cancel", "返回登录", key_display="Esc"),
        Binding("down", "scroll('down')", show=False),
        Binding("up", "scroll('up')", show=False),
    ]

    class Begin(Message):
        """The member is ready: open the session and start the exam."""

    class Cancel(Message):
        """The member went back (or walked away): log out."""

    def __init__(self, member: MemberLike, blueprint: Blueprint, time_limit_s: int, idle_s: float) -> None:
        super().__init__(id="start")
        self.member = member
        self.blueprint = blueprint
        self.time_limit_s = time_limit_s
        self.idle_s = idle_s
        self._idle: Timer | None = None
        self._begun = False

    def compose(self) -> ComposeResult:
        bp = self.blueprint
        m = self.member
        with VerticalScroll(id="start-body"):
            yield Static(Content(bp.name), id="start-title", markup=False)
            yield Static(Content(f"考生：{m.name}（编号 {m.member_id}，{m.branch}）"), id="start-member", markup=False)
            lines = ["试卷结构"]
            lines += [f"  {section_line(s)}" for s in bp.sections]
            lines.append(
                f"  满分 {format_points(bp.paper_points)} 分，{format_points(bp.pass_mark)} 分及格；"
                f"考试时间 {format_minutes(self.time_limit_s)}。"
            )
            yield Prose("\n".join(lines), id="start-paper")
            if bp.description:
                yield Prose(bp.description, id="start-description")
            yield Prose("答题方法\n" + "\n".join(f"  {r}" for r in RULES), id="start-rules")
            yield Static(Content("按 Enter 开始考试，同时开始计时；按 Esc 返回。"), id="start-go", markup=False)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._idle = self.set_timer(self.idle_s, self.action_cancel)

    def on_key(self) -> None:
        if self._idle is not None:
            self._idle.reset()

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#start-body", VerticalScroll)
        if direction == "down":
            body.scroll_down()
        else:
            body.scroll_up()

    def action_begin(self) -> None:
        if self._begun:  # a second Enter while the paper is drawn must not start twice
            return
        self._begun = True
        if self._idle is not None:
            self._idle.stop()
        self.post_message(self.Begin())

    def action_cancel(self) -> None:
        if self._begun:
            return
        self._begun = True
        self.post_message(self.Cancel())

    def failed(self) -> None:
        """The session could not be opened: let the member try Enter again."""
        self._begun = False
        if self._idle is not None:
            self._idle.reset()
