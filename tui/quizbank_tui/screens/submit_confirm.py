"""Submit confirmation: lists unanswered and marked questions; Enter or Y submits, Esc goes back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..labels import numbers_list
from ..widgets import Prose

__all__ = ["SubmitConfirmScreen"]


class SubmitConfirmScreen(ModalScreen[bool], inherit_bindings=False):
    """True to submit, False to go back to the paper."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y,Y,shift+y", "answer(True)", "确认交卷", key_display="Enter/Y"),
        Binding("escape,n,N,shift+n", "answer(False)", "返回答题", key_display="Esc"),
    ]

    def __init__(self, total: int, unanswered: Sequence[int], marked: Sequence[int]) -> None:
        super().__init__(id="submit-confirm")
        self.total = total
        self.unanswered = list(unanswered)
        self.marked = list(marked)

    def compose(self) -> ComposeResult:
        done = self.total - len(self.unanswered)
        with Vertical(id="confirm-box"):
            yield Static(Content("确认交卷？"), id="confirm-title", markup=False)
            yield Static(Content(f"共 {self.total} 题，已答 {done} 题，未答 {len(self.unanswered)} 题。"), markup=False)
            un = Prose(f"未答的题：{numbers_list(self.unanswered)}", id="confirm-unanswered")
            un.set_class(bool(self.unanswered), "-warning")
            yield un
            mk = Prose(f"标记待查的题：{numbers_list(self.marked)}", id="confirm-marked")
            mk.set_class(bool(self.marked), "-warning")
            yield mk
            yield Static(Content("交卷后不能再修改答案。"), markup=False)
            yield Static(Content("按 Enter 或 Y 确认交卷；按 Esc 返回继续答题。"), id="confirm-hint", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
