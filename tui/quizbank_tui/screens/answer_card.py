"""The answer card (答题卡): every question number, answered / unanswered / marked; Enter jumps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from quizbank.scoring import is_answered

from ..widgets import CardCell, CardGrid
from ..widgets.card_grid import ANSWERED, MARKED

if TYPE_CHECKING:
    from quizbank.models import PaperQuestion
    from quizbank.scoring import Response

__all__ = ["AnswerCardScreen"]


class AnswerCardScreen(ModalScreen[int | None], inherit_bindings=False):
    """Returns the question number to jump to, or None to go back where the member was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "jump", "跳到该题", key_display="Enter"),
        Binding("escape,f2", "close", "返回", key_display="Esc"),
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("up", f"move({-CardGrid.COLUMNS})", show=False),
        Binding("down", f"move({CardGrid.COLUMNS})", show=False),
        Binding("home", "move(-10000)", show=False),
        Binding("end", "move(10000)", show=False),
    ]

    def __init__(
        self,
        questions: Sequence[PaperQuestion],
        responses: Mapping[int, Response],
        marked: set[int],
        current: int,
    ) -> None:
        super().__init__(id="answer-card")
        self.questions = questions
        self.responses = responses
        self.marked = marked
        self.current = current

    def compose(self) -> ComposeResult:
        answered = {q.no for q in self.questions if is_answered(self.responses.get(q.no))}
        total = len(self.questions)
        with Vertical(id="card-box"):
            yield Static(
                Content(f"答题卡    已答 {len(answered)}/{total}    未答 {total - len(answered)}    标记 {len(self.marked)}"),
                id="card-title",
                markup=False,
            )
            yield Static(Content(f"{ANSWERED} 已答    {MARKED} 标记待查    空白 未答"), id="card-legend", markup=False)
            with VerticalScroll(id="card-scroll"):
                yield CardGrid(CardCell(q.no, answered=q.no in answered, marked=q.no in self.marked) for q in self.questions)
            yield Static(Content("方向键选题号，Enter 跳到该题；Esc 返回。"), id="card-hint", markup=False)

    def on_mount(self) -> None:
        self._focus_no(self.current)

    def _cells(self) -> list[CardCell]:
        return list(self.query(CardCell))

    def _focus_no(self, no: int) -> None:
        cells = self._cells()
        if cells:
            self.set_focus(cells[max(0, min(no - 1, len(cells) - 1))])

    def action_move(self, step: int) -> None:
        focused = self.focused
        no = focused.no if isinstance(focused, CardCell) else self.current
        target = no + step
        if not 1 <= target <= len(self.questions):
            if abs(step) == 1 or abs(step) > CardGrid.COLUMNS:
                target = max(1, min(target, len(self.questions)))
            else:
                return
        self._focus_no(target)

    def action_jump(self) -> None:
        focused = self.focused
        self.dismiss(focused.no if isinstance(focused, CardCell) else None)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_card_cell_chosen(self, event: CardCell.Chosen) -> None:
        event.stop()
        self.dismiss(event.no)
