"""The answer card (答题卡): one cell per question, showing answered, unanswered and marked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.containers import Grid
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

__all__ = ["ANSWERED", "MARKED", "CardCell", "CardGrid"]

ANSWERED = "✓"
MARKED = "标"


class CardCell(Static):
    """``12 ✓ 标``: the number, a tick when answered, 标 when marked for review."""

    DEFAULT_CSS = """
    CardCell {
        width: 8;
        height: 1;
        padding: 0 0 0 1;
        background: $panel;
    }
    CardCell.-answered {
        background: #3A3A3A;
    }
    CardCell.-marked {
        color: $warning;
        text-style: bold;
    }
    CardCell:focus {
        background: $primary;
        color: #000000;
        text-style: bold;
    }
    """

    can_focus = True

    @dataclass
    class Chosen(Message):
        """The member picked this question on the card."""

        no: int

    def __init__(self, no: int, *, answered: bool, marked: bool) -> None:
        text = f"{no:>2} {ANSWERED if answered else ' '} {MARKED if marked else '  '}"
        super().__init__(Content(text), id=f"cell-{no}", markup=False)
        self.no = no
        self.set_class(answered, "-answered")
        self.set_class(marked, "-marked")

    def on_click(self) -> None:
        self.post_message(self.Chosen(self.no))


class CardGrid(Grid):
    """Cells in rows of ``columns``; arrow keys move between them (the screen binds them)."""

    DEFAULT_CSS = """
    CardGrid {
        grid-size: 8;
        grid-gutter: 0 1;
        grid-columns: 8;
        grid-rows: 1;
        height: auto;
        width: auto;
    }
    """

    COLUMNS = 8

    def __init__(self, cells: Iterable[CardCell]) -> None:
        super().__init__(*cells, id="card-grid")
