"""One question on screen: the stem, then lettered choices or numbered blanks.

Question text comes from bank files that anyone may edit, so it is shown with
:class:`~quizbank_tui.widgets.prose.Prose` (plain text) everywhere: a stem containing
``[@click=app.quit]`` shows those characters and does nothing.

The view is built once per exam with room for eight choices and ten blanks (the most a
question can have) and :meth:`QuestionView.show` refills it. Moving to the next question
then changes text and hides rows instead of mounting a dozen widgets, which is most of
what keeps a key press under one frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from ..labels import choice_letters, options_of
from .prose import Prose

# the models (pydantic) are imported where used: the login screen, drawn first, needs none of them
if TYPE_CHECKING:
    from quizbank.models import PaperQuestion
    from quizbank.scoring import Response

__all__ = ["CHOSEN", "MAX_BLANKS", "NOT_CHOSEN", "BlankInput", "ChoiceRow", "QuestionView", "blank_values", "number_blanks"]

CHOSEN = "[✓]"
NOT_CHOSEN = "[ ]"
"""Text markers for chosen / not chosen: ✓ reads as "chosen" to Chinese readers (✗ would
read as "wrong"), and the row is highlighted too, so colour is never the only sign."""

MAX_BLANKS = 10
"""The most blanks a fill question may have (the bank loader enforces it)."""

_BLANK = re.compile(r"[（(][ \u3000\t]*[）)]|_{2,}")


def number_blanks(stem: str) -> str:
    """The stem with each blank numbered, ``（ ）`` → ``（ 1 ）``, so 第1空 is easy to find."""
    counter = iter(range(1, 100))
    return _BLANK.sub(lambda _m: f"（ {next(counter)} ）", stem)


def blank_count(q: PaperQuestion) -> int:
    return len(q.answer) if q.type == "fill" and isinstance(q.answer, tuple) else 0


def blank_values(q: PaperQuestion, response: Response) -> list[str]:
    """A saved fill response as one string per blank."""
    n = blank_count(q)
    if isinstance(response, str):
        given = [response]
    elif isinstance(response, list | tuple):
        given = [r if isinstance(r, str) else "" for r in response]
    else:
        given = []
    return (given + [""] * n)[:n]


class ChoiceRow(Horizontal):
    """One choice: a text marker, its letter, and its text wrapping under itself."""

    DEFAULT_CSS = """
    ChoiceRow {
        height: auto;
        width: 1fr;
    }
    ChoiceRow > .marker {
        width: 7;
        text-style: bold;
    }
    ChoiceRow > .text {
        width: 1fr;
    }
    ChoiceRow.-chosen {
        background: $primary;
        color: #000000;
        text-style: bold;
    }
    ChoiceRow:hover {
        background: $boost;
    }
    ChoiceRow.-chosen:hover {
        background: $primary;
    }
    """

    @dataclass
    class Clicked(Message):
        """The member clicked a choice (the mouse works as well as the keys)."""

        index: int

    def __init__(self, index: int, text: str = "", *, chosen: bool = False) -> None:
        from quizbank.models import LETTERS

        super().__init__(id=f"choice-{LETTERS[index]}")
        self.index = index
        self.letter = LETTERS[index]
        self._text = text
        self._chosen = chosen
        self.set_class(chosen, "-chosen")

    def compose(self) -> ComposeResult:
        yield Static(self._marker(), classes="marker", markup=False)
        yield Prose(self._text, classes="text")

    def _marker(self) -> Content:
        return Content(f"{CHOSEN if self._chosen else NOT_CHOSEN} {self.letter}.")

    @property
    def chosen(self) -> bool:
        return self._chosen

    @property
    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.query_one(Prose).update(text)

    def set_chosen(self, chosen: bool) -> None:
        if chosen == self._chosen:
            return
        self._chosen = chosen
        self.set_class(chosen, "-chosen")
        self.query_one(".marker", Static).update(self._marker())

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.index))


class BlankInput(Input):
    """The input of one blank of a fill question."""

    DEFAULT_CSS = """
    BlankInput {
        width: 1fr;
    }
    """

    def __init__(self, index: int, value: str = "") -> None:
        super().__init__(
            value=value,
            placeholder="在此输入，按 Enter 到下一空",
            id=f"blank-{index + 1}",
            compact=True,
            select_on_focus=False,
            max_length=200,  # the session refuses longer blanks; stop typing there instead
        )
        self.index = index

    def set_quietly(self, value: str) -> None:
        """Show a saved value without reporting it as typed (no ``Changed`` message)."""
        if value == self.value:
            return
        with self.prevent(Input.Changed):
            self.value = value
        self.cursor_position = len(value)


class QuestionView(VerticalScroll, can_focus=False):
    """The stem and the choices (or blanks) of one question, scrolling if it is long.

    Not focusable: its scroll keys (PageDown above all) belong to the exam screen; Up and
    Down scroll it through the screen's bindings.
    """

    DEFAULT_CSS = """
    QuestionView {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    QuestionView > .stem {
        margin: 0 0 1 0;
    }
    QuestionView > .hint {
        color: $secondary;
        margin: 1 0 0 0;
    }
    QuestionView .blank-row {
        height: auto;
        margin: 0 0 1 0;
    }
    QuestionView .blank-label {
        width: 8;
        text-style: bold;
    }
    """

    def __init__(self, question: PaperQuestion, response: Response) -> None:
        super().__init__(id="question")
        self.question = question
        self._response = response

    @property
    def n_blanks(self) -> int:
        return blank_count(self.question)

    def compose(self) -> ComposeResult:
        from quizbank.models import LETTERS

        yield Prose("", classes="stem")
        for i in range(len(LETTERS)):
            yield ChoiceRow(i)
        for i in range(MAX_BLANKS):
            with Horizontal(classes="blank-row", id=f"blank-row-{i + 1}"):
                yield Static(Content(f"第{i + 1}空"), classes="blank-label", markup=False)
                yield BlankInput(i)
        yield Prose("", classes="hint")

    def on_mount(self) -> None:
        self.show(self.question, self._response)

    def show(self, question: PaperQuestion, response: Response) -> None:
        """Fill the view with ``question`` and its saved ``response``."""
        from quizbank.models import LETTERS

        self.question = question
        self._response = response
        q = question
        with self.app.batch_update():
            self.query_one(".stem", Prose).update(number_blanks(q.stem) if q.type == "fill" else q.stem)
            options = options_of(q) if q.type != "fill" else ()
            chosen = choice_letters(q, response)
            for row in self.query(ChoiceRow):
                shown = row.index < len(options)
                if row.display != shown:
                    row.display = shown
                if shown:
                    row.set_text(options[row.index])
                    row.set_chosen(row.letter in chosen)
            values = blank_values(q, response)
            for blank in self.query(BlankInput):
                shown = blank.index < len(values)
                row_widget = blank.parent
                if row_widget is not None and row_widget.display != shown:
                    row_widget.display = shown
                blank.set_quietly(values[blank.index] if shown else "")
            if q.type == "fill":
                hint = "直接打字作答；Enter 到下一空，最后一空按 Enter 到下一题。"
            else:
                last = LETTERS[len(options) - 1]
                how = "可选多项，再按一次取消" if q.type == "multiple" else "再按其他字母可改选"
                hint = f"按 A-{last} 或 1-{len(options)} 选择；{how}。"
            self.query_one(".hint", Prose).update(hint)
            self.scroll_home(animate=False)

    def show_response(self, response: Response) -> None:
        """Update the choice markers to a response that has been saved."""
        self._response = response
        chosen = choice_letters(self.question, response)
        for row in self.query(ChoiceRow):
            if row.display:
                row.set_chosen(row.letter in chosen)

    def saved_blank_values(self) -> list[str]:
        """The blanks as last shown from the session (what is saved)."""
        return blank_values(self.question, self._response)

    def blank_values(self) -> list[str]:
        """What is typed in the blanks now (saved or not)."""
        return [b.value for b in self.query(BlankInput) if b.index < self.n_blanks]

    def blank(self, index: int) -> BlankInput | None:
        if not 0 <= index < self.n_blanks:
            return None
        found = [b for b in self.query(BlankInput) if b.index == index]
        return found[0] if found else None
