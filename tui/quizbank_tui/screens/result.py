"""Result: the score, pass or fail, subtotals per topic, then the review the blueprint allows.

``review`` (from the paper, frozen with it) decides what a member sees: ``none`` only that
the paper was handed in; ``score`` the score and subtotals; ``wrong_only`` also every
question not fully right with the member's answer, the key and the explanation; ``all``
every question. Enter, or ``idle_s`` without a key, goes back to login for the next member.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Static

from quizbank.models import LETTERS

from ..labels import TYPE_NAMES, format_key, format_points, format_response, options_of
from ..ports import MemberLike
from ..widgets import Prose
from ..widgets.question_view import number_blanks

if TYPE_CHECKING:
    from quizbank.models import Paper, PaperQuestion, ReviewMode
    from quizbank.scoring import QuestionMark, Response, Score

__all__ = ["ResultScreen", "verdict"]


def verdict(mark: QuestionMark) -> str:
    """答对 / 部分得分 / 答错 / 未作答: a word, never only a colour."""
    if not mark.answered:
        return "未作答"
    if mark.awarded == mark.points:
        return "答对"
    if mark.awarded > 0:
        return "部分得分"
    return "答错"


class ResultScreen(Screen[None], inherit_bindings=False):
    """Shows one finished attempt; posts :class:`Done` when the member is finished with it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done", "返回登录", key_display="Enter"),
        Binding("pagedown", "scroll('page_down')", "向下翻", key_display="PgDn", priority=True),
        Binding("pageup", "scroll('page_up')", "向上翻", key_display="PgUp", priority=True),
        Binding("down", "scroll('down')", show=False),
        Binding("up", "scroll('up')", show=False),
        Binding("home", "scroll('home')", show=False),
        Binding("end", "scroll('end')", show=False),
    ]

    class Done(Message):
        """The member pressed Enter or walked away: back to login."""

    def __init__(
        self,
        member: MemberLike,
        paper: Paper,
        score: Score,
        responses: Mapping[int, Response],
        *,
        notice: str = "",
        idle_s: float = 60.0,
    ) -> None:
        super().__init__(id="result")
        self.member = member
        self.paper = paper
        self.score = score
        self.responses = responses
        self.notice = notice
        self.idle_s = idle_s
        self._idle: Timer | None = None
        self._done = False

    @property
    def review(self) -> ReviewMode:
        return self.paper.review

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="result-body"):
            yield Static(Content(f"{self.paper.blueprint}  考试结果"), id="result-title", markup=False)
            yield Static(Content(f"{self.member.name}（编号 {self.member.member_id}，{self.member.branch}）"), markup=False)
            if self.notice:
                yield Prose(self.notice, id="result-notice")
            if self.review == "none":
                yield Static(Content("试卷已提交。成绩由党支部通知。"), id="result-score", markup=False)
            else:
                yield from self._score_part()
            if self.review in ("wrong_only", "all"):
                yield from self._review_part()
            yield Static(Content(f"按 Enter 返回登录，{int(self.idle_s)} 秒不操作也会自动返回。"), id="result-hint", markup=False)
        yield Footer(show_command_palette=False)

    def _score_part(self) -> Iterator[Widget]:
        sc = self.score
        passed = sc.passed
        line = Static(
            Content(
                f"得分 {format_points(sc.score)} 分（满分 {format_points(sc.max_score)} 分，"
                f"{format_points(float(sc.pass_mark))} 分及格）    {'合格' if passed else '不合格'}"
            ),
            id="result-score",
            markup=False,
        )
        line.set_class(passed, "-pass")
        line.set_class(not passed, "-fail")
        yield line
        rows = ["分类得分"]
        for topic, (got, possible) in sc.subtotals(1).items():
            rows.append(f"  {topic}  {format_points(got)} / {format_points(possible)} 分")
        yield Static(Content("\n".join(rows)), id="result-topics", markup=False)

    def _review_part(self) -> Iterator[Widget]:
        marks = {m.no: m for m in self.score.marks}
        shown = [q for q in self.paper.questions if self.review == "all" or not marks[q.no].correct]
        title = "答题回顾（全部题目）" if self.review == "all" else "答题回顾（未得满分的题）"
        if not shown:
            yield Static(Content(f"{title}：全部答对。"), classes="review-title", markup=False)
            return
        yield Static(Content(f"{title}，共 {len(shown)} 题"), classes="review-title", markup=False)
        for q in shown:
            m = marks[q.no]
            head = Static(
                Content(
                    f"第 {q.no} 题  {TYPE_NAMES[q.type]}  {verdict(m)}  "
                    f"得 {format_points(float(m.awarded))} / {format_points(float(m.points))} 分"
                ),
                classes="review-head",
                markup=False,
            )
            head.set_class(m.correct, "-right")
            head.set_class(not m.correct, "-wrong")
            yield head
            yield Prose(self._review_text(q), classes="review-body")

    def _review_text(self, q: PaperQuestion) -> str:
        lines = [number_blanks(q.stem) if q.type == "fill" else q.stem]
        if q.type in ("single", "multiple"):
            lines += [f"  {LETTERS[i]}. {text}" for i, text in enumerate(options_of(q))]
        lines.append(f"您的答案：{format_response(q, self.responses.get(q.no))}    正确答案：{format_key(q)}")
        if q.explanation:
            lines.append(f"解析：{q.explanation}")
        if q.source:
            lines.append(f"依据：{q.source}")
        return "\n".join(lines)

    def on_mount(self) -> None:
        self._idle = self.set_timer(self.idle_s, self.action_done)

    def on_key(self) -> None:
        if self._idle is not None:
            self._idle.reset()

    def action_scroll(self, how: str) -> None:
        body = self.query_one("#result-body", VerticalScroll)
        {
            "page_down": body.scroll_page_down,
            "page_up": body.scroll_page_up,
            "down": body.scroll_down,
            "up": body.scroll_up,
            "home": body.scroll_home,
            "end": body.scroll_end,
        }[how]()

    def action_done(self) -> None:
        if self._done:
            return
        self._done = True
        if self._idle is not None:
            self._idle.stop()
        self.post_message(self.Done())
